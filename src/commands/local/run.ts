import { networkExposureNotice } from '../../local/exposure-notice.js';
import type { LocalOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { RuntimeError } from '../../util/errors.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';

export async function runLocal(options: LocalOptions, context: CommandContext): Promise<void> {
  const { signal } = context;
  context.stderr.write('Starting DynamoDB Local…\n');
  const local = await startDynamoDbLocal({ port: options.port, dbPath: options.dbPath, signal });
  try {
    context.stdout.write(renderLocalBanner(local));
    const outcome = await Promise.race([
      aborted(signal).then(() => 'stopped' as const),
      local.exited.then(() => 'exited' as const),
    ]);
    if (outcome === 'exited') {
      const exit = await local.exited;
      const tail = local.recentOutput().trim().split('\n').slice(-2).join(' | ');
      throw new RuntimeError(
        `DynamoDB Local exited unexpectedly (${exit.signal ? `signal ${exit.signal}` : `code ${String(exit.code)}`})` +
          `${tail ? `: ${tail}` : ''}. Start it again with \`ddbstream local\`.`,
      );
    }
  } finally {
    await local.stop();
  }
  context.stderr.write('DynamoDB Local stopped.\n');
}

/** What the user needs to point other tools at this instance. */
export function renderLocalBanner(local: Pick<DynamoDbLocal, 'endpoint' | 'dbPath' | 'recentOutput'>): string {
  const version = /Version:\s*(\S+)/.exec(local.recentOutput())?.[1];
  const storage = local.dbPath ? `data kept in ${local.dbPath}` : 'in memory: data is gone when it stops';
  const { endpoint } = local;
  return `DynamoDB Local${version ? ` ${version}` : ''} is running at ${endpoint} (${storage}).
${networkExposureNotice(endpoint)}

Point ddbstream, the AWS CLI and the SDKs at it:
  export AWS_ENDPOINT_URL=${endpoint}
or pass --endpoint-url to each command:
  ddbstream streams --endpoint-url ${endpoint}
Any access key and region work: every region sees the same tables. ddbstream needs no credentials
for a local endpoint; other tools want AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set to anything.

Create a table with a stream, then tail it from another terminal:
  aws dynamodb create-table --endpoint-url ${endpoint} --region us-east-1 --table-name Users \\
    --attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH \\
    --billing-mode PAY_PER_REQUEST --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES
  ddbstream tail Users --endpoint-url ${endpoint}

Press Ctrl-C to stop.
`;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
