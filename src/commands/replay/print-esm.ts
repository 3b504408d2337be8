import type { CommandContext } from '../../io/command-context.js';
import type { ReadingOptions } from '../../options/reading-options.js';
import { parseStreamRef } from '../../aws/stream-ref.js';
import { buildMapping, mappingCloudFormation, mappingJson, PRINT_FORMATS, type PrintFormat } from '../../replay/esm-mapping.js';
import type { MappingSettings } from '../../replay/options.js';
import { UsageError } from '../../util/errors.js';
import type { ReplayOptions } from './options.js';

export function parsePrintFormat(value: string | true): PrintFormat {
  if (value === true) return 'json';
  const format = value.trim().toLowerCase();
  if ((PRINT_FORMATS as readonly string[]).includes(format)) return format as PrintFormat;
  throw new UsageError(`--print-esm "${value}" is not a format: use json (aws lambda create-event-source-mapping --cli-input-json) or cloudformation`);
}

/**
 * `--print-esm`: the event source mapping for these settings on stdout, notes on stderr, and no
 * record read. A table name is resolved to its stream ARN (one DescribeTable call); an ARN is
 * taken as it is.
 */
export async function printEsm(
  stream: string,
  options: ReplayOptions,
  reading: ReadingOptions,
  settings: MappingSettings,
  context: CommandContext,
): Promise<void> {
  const format = parsePrintFormat(options.printEsm ?? true);
  const ref = parseStreamRef(stream);
  let streamArn: string;
  if (ref.kind === 'arn') {
    streamArn = ref.arn;
  } else {
    const [{ openClients }, { resolveStream }] = await Promise.all([
      import('../../aws/open-clients.js'),
      import('../../stream/resolve-stream.js'),
    ]);
    const clients = openClients(options, context.env);
    try {
      streamArn = (await resolveStream(ref, clients, context.signal)).streamArn;
    } finally {
      clients.destroy();
    }
  }
  const { mapping, notes } = buildMapping({
    streamArn,
    ...(options.functionName ? { functionName: options.functionName } : {}),
    from: reading.from,
    settings,
    filters: { event: options.event ?? [], key: options.key ?? [], filter: options.filter ?? [] },
    ...(options.onFailure ? { onFailure: options.onFailure } : {}),
    until: reading.until !== undefined,
    maxRecords: reading.maxRecords !== undefined,
  });
  for (const note of notes) context.stderr.write(`replay: note: ${note}\n`);
  context.stdout.write(format === 'json' ? mappingJson(mapping) : mappingCloudFormation(mapping));
}
