import type { AwsOptions } from '../aws/aws-options.js';
import { openClients } from '../aws/open-clients.js';
import { PLACEHOLDER_CREDENTIALS } from '../aws/client-config.js';
import type { CheckResult } from './check.js';
import { credentialsCheck, keyIdTail } from './credentials-check.js';
import { endpointCheck, endpointSources } from './endpoint-check.js';
import { regionCheck } from './region-check.js';
import { javaCheck, nodeCheck } from './runtime-checks.js';
import { listStreamsCheck, localDatabaseNote, streamCheck } from './stream-checks.js';

export interface DoctorInput {
  options: AwsOptions;
  env: NodeJS.ProcessEnv;
  stream?: string;
  nodeVersion: string;
  ddbstreamVersion: string;
  now: Date;
}

const skipped = (name: string, why: string, required = true): CheckResult => ({ name, status: 'skip', detail: why, required });

/**
 * Every check, in the order a user would fix things: the runtime, the region, the credentials,
 * the endpoints, what the credentials may do, the stream, then Java. A check whose ground an
 * earlier one took away is skipped, not failed a second time.
 */
export async function runDoctor(input: DoctorInput): Promise<CheckResult[]> {
  const results: CheckResult[] = [nodeCheck(input.nodeVersion, input.ddbstreamVersion)];
  const clients = openClients(input.options, input.env);
  try {
    const { result: region, region: regionName } = await regionCheck(input.options, input.env, clients);
    results.push(region);
    const credentials = await credentialsCheck(clients, input.now);
    results.push(credentials);
    const endpoints = endpointSources(input.options, input.env);
    const streamsEndpoint = await endpointCheck('DynamoDB Streams', endpoints.streams, clients, regionName);
    results.push(streamsEndpoint, await endpointCheck('DynamoDB', endpoints.tables, clients, regionName));

    const ready = region.status === 'ok' && credentials.status === 'ok' && streamsEndpoint.status === 'ok';
    if (!ready) {
      results.push(skipped('list-streams', 'ListStreams not tried: fix the region, credentials or endpoint first'));
      if (input.stream !== undefined) results.push(skipped('stream', `${input.stream}: not tried`));
    } else {
      const listed = await listStreamsCheck(clients);
      results.push(listed.result);
      if (clients.config.local && listed.count === 0) {
        const key = clients.config.placeholderCredentials
          ? PLACEHOLDER_CREDENTIALS.accessKeyId
          : (await clients.streams.config.credentials()).accessKeyId;
        results.push(localDatabaseNote(clients, keyIdTail(key)));
      }
      if (input.stream !== undefined) results.push(await streamCheck(input.stream, clients));
    }
  } finally {
    clients.destroy();
  }
  results.push(await javaCheck(input.env));
  return results;
}

/** Reading a stream works when every required check passed. */
export function doctorPassed(results: readonly CheckResult[]): boolean {
  return results.every((result) => !result.required || result.status === 'ok');
}
