import type { ExportOptions } from '../cli/export-command.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { diffImages } from '../records/diff.js';
import { diffToJson } from '../render/diff-json.js';
import { toNdjsonLine, toRawLine } from '../render/ndjson.js';
import type { StreamRecord } from '../records/record.js';
import { checkOutputPath, openOutput } from '../io/output.js';
import { ProgressLine, formatCount } from '../io/progress-line.js';
import { abortAt, describeReaderWarning, openReadingSession } from './reading-session.js';

export async function runExport(streamName: string, options: ExportOptions, context: CommandContext): Promise<void> {
  if (options.raw && options.diff) throw new UsageError('--raw writes Lambda records, which have no diff: use --raw or --diff, not both');
  const format = options.raw
    ? toRawLine
    : options.diff
      ? (r: StreamRecord) => toNdjsonLine(r, { diff: diffToJson(diffImages(r.oldImage, r.newImage)) })
      : (r: StreamRecord) => toNdjsonLine(r);

  if (options.output) await checkOutputPath(options.output);
  const session = await openReadingSession(streamName, options, context);
  const sink = await openOutput(options.output, context.stdout).catch(async (error: unknown) => {
    await session.close();
    throw error;
  });
  for (const note of session.reading.filter.notes) context.stderr.write(`ddbstream: note: ${note}\n`);

  const progress = new ProgressLine(context.stderr, Boolean(context.stderr.isTTY) && !options.quiet);
  const started = Date.now();
  let written = 0;
  let shardsDone = 0;
  let shardsTotal = 0;
  let backoff: string | undefined;
  const until = session.reading.until;
  const deadline = abortAt(context.signal, options.follow && until?.kind === 'time' ? until.time : undefined);
  const status = (): string => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return `exported ${formatCount(written)} records · shards ${shardsDone}/${shardsTotal} done · ${formatCount(Math.round(written / seconds))} rec/s` +
      (backoff ? ` · ${backoff}` : '');
  };

  try {
    const batches = session.read({
      follow: Boolean(options.follow),
      signal: deadline.signal,
      onEvent: (event) => {
        if (event.type === 'describe') shardsTotal = event.shards;
        else if (event.type === 'shard-end') shardsDone++;
        else if (event.type === 'backoff') backoff = `retrying (${event.reason})`;
        else if (event.type === 'recovered') backoff = undefined;
        const warning = describeReaderWarning(event);
        if (warning) {
          progress.clear();
          context.stderr.write(`ddbstream: ${warning}\n`);
        }
      },
    });
    for await (const batch of batches) {
      if (batch.records.length) {
        let chunk = '';
        for (const record of batch.records) chunk += format(record) + '\n';
        // A page is written whole, then the checkpoint may pass it: a line is never half out.
        await sink.write(chunk);
        written += batch.records.length;
      }
      await session.commit(batch);
      progress.update(status);
      if (sink.closed) break;
    }
  } finally {
    deadline.dispose();
    progress.clear();
    await sink.close();
    await session.close();
  }
  if (context.stderr.isTTY && !options.quiet && !context.signal.aborted) {
    context.stderr.write(`ddbstream: exported ${formatCount(written)} records${options.output ? ` to ${options.output}` : ''}\n`);
  }
}
