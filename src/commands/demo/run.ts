import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DemoOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { UsageError } from '../../util/errors.js';
import { LOCAL_DEFAULT_REGION, PLACEHOLDER_CREDENTIALS } from '../../aws/client-config.js';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { ensureJava } from '../../local/java.js';
import { applySteps, createDemoTable, demoScript, DEMO_TABLE, type DemoStep } from '../../demo/script.js';
import { liveSteps } from '../../demo/live.js';
import { runTail } from '../tail/run.js';
import { networkExposureNotice } from '../../local/exposure-notice.js';

/**
 * The first run: DynamoDB Local, a demo table, a scripted life of one user, all shown through the
 * real `tail` path. In a pipe it plays the script once and ends; on a terminal it keeps writing.
 */
export async function runDemo(options: DemoOptions, context: CommandContext): Promise<void> {
  const port = options.port ?? 0;
  const intervalMs = parseInterval(options.interval ?? '700');
  const interactive = options.format ? options.format === 'pretty' : Boolean(context.stdout.isTTY && context.stdin.isTTY);
  const say = (text: string): void => {
    // In the interactive view ink owns stdout; the plain demo narrates in line with the records.
    (interactive ? context.stderr : context.stdout).write(text);
  };

  await ensureJava(); // first, so a missing Java is one clear line before anything starts
  say('Starting DynamoDB Local (bundled, in memory)…\n');
  const local = await startDynamoDbLocal({ port, sharedDb: true, signal: context.signal });
  const stopWrites = new AbortController();
  const client = new DynamoDBClient({ endpoint: local.endpoint, region: LOCAL_DEFAULT_REGION, credentials: PLACEHOLDER_CREDENTIALS });
  try {
    say(`DynamoDB Local is running at ${local.endpoint}. While the demo runs, point other commands at it:
  export AWS_ENDPOINT_URL=${local.endpoint}      (or --endpoint-url ${local.endpoint})
${networkExposureNotice(local.endpoint)}

`);
    await createDemoTable(client, { tableName: DEMO_TABLE, signal: context.signal });
    const script = demoScript(DEMO_TABLE);
    say(`Created table ${DEMO_TABLE} with a NEW_AND_OLD_IMAGES stream. Playing ${script.length} changes:\n\n`);

    const writes = writeAll(client, script, interactive, intervalMs, stopWrites.signal, (step) => {
      if (!interactive) say(`▸ ${step.caption}\n`);
    });
    // The real tail: placeholder credentials for the local endpoint, from the start of the stream.
    const tail = runTail(
      DEMO_TABLE,
      {
        endpointUrl: local.endpoint,
        region: LOCAL_DEFAULT_REGION,
        from: 'trim-horizon',
        format: interactive ? 'pretty' : 'plain',
        color: options.color,
        // In a pipe the demo ends once every scripted change has been shown.
        ...(interactive ? {} : { maxRecords: String(script.length) }),
      },
      { ...context, env: withoutAwsCredentials(context.env) },
    );
    await Promise.all([tail.finally(() => stopWrites.abort()), writes]);
    if (!context.signal.aborted) say(nextSteps());
  } finally {
    stopWrites.abort();
    client.destroy();
    await local.stop();
  }
}

async function writeAll(
  client: DynamoDBClient,
  script: DemoStep[],
  keepGoing: boolean,
  intervalMs: number,
  signal: AbortSignal,
  announce: (step: DemoStep) => void,
): Promise<void> {
  const steps = function* (): Generator<DemoStep> {
    yield* script;
    if (keepGoing) yield* liveSteps(DEMO_TABLE);
  };
  for await (const applied of applySteps(client, steps(), { intervalMs, signal })) {
    if (applied.index < script.length) announce(applied.step);
  }
}

function nextSteps(): string {
  return `
That was ddbstream tail on the demo table. The demo's DynamoDB Local is stopped now; to keep one
running, start \`ddbstream local\` and point the commands at it. Next, try:
  ddbstream shards ${DEMO_TABLE}                       the stream's shard tree
  ddbstream export ${DEMO_TABLE} | jq .newImage        every record as JSON
  ddbstream replay ${DEMO_TABLE} --handler ./handler.mjs   run a Lambda handler on the records
`;
}

/** Local endpoints need no credentials; a stale SSO profile of the user must not break the demo. */
function withoutAwsCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS']) {
    delete copy[key];
  }
  return copy;
}

function parseInterval(text: string): number {
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms > 60_000) throw new UsageError(`--interval "${text}" must be milliseconds from 0 to 60000`);
  return ms;
}
