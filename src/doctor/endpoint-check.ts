import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AwsOptions } from '../aws/aws-options.js';
import type { AwsClients } from '../aws/clients.js';
import { CheckTimeoutError, withinBound, type CheckResult } from './check.js';

export interface EndpointChoice {
  url: string | undefined;
  source: string;
}

/** Where each service's endpoint came from, in the order `aws/client-config.ts` reads them. */
export function endpointSources(options: AwsOptions, env: NodeJS.ProcessEnv): { streams: EndpointChoice; tables: EndpointChoice } {
  const streams: EndpointChoice = options.endpointUrl !== undefined
    ? { url: options.endpointUrl, source: '--endpoint-url' }
    : env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS
      ? { url: env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS, source: 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS' }
      : env.AWS_ENDPOINT_URL
        ? { url: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' }
        : { url: undefined, source: 'AWS, for the region' };
  const tables: EndpointChoice = options.endpointUrl !== undefined
    ? streams
    : env.AWS_ENDPOINT_URL_DYNAMODB
      ? { url: env.AWS_ENDPOINT_URL_DYNAMODB, source: 'AWS_ENDPOINT_URL_DYNAMODB' }
      : streams.url !== undefined
        ? { url: streams.url, source: `${streams.source}, as for DynamoDB Streams` }
        : streams;
  return { streams, tables };
}

/** The URL the SDK will call when no endpoint is configured: AWS's own for the region. */
async function defaultUrl(client: AwsClients['streams'] | AwsClients['tables'], region: string): Promise<string> {
  const { url } = await client.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false });
  return url.href;
}

/**
 * Milliseconds to any HTTP answer: an error status still proves that something listens there.
 * node:http rather than fetch, which refuses some ports a local endpoint may well use.
 */
async function roundTrip(url: string): Promise<number> {
  const started = performance.now();
  await withinBound((signal) => new Promise<void>((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: 'GET', signal }, (response) => {
      response.resume();
      resolve();
    });
    request.on('error', reject);
    request.end();
  }));
  return Math.round(performance.now() - started);
}

function whyNoAnswer(error: unknown): string {
  if (error instanceof CheckTimeoutError) return error.message;
  const failure = error as { code?: string; errors?: { code?: string }[]; message?: string };
  return failure.code ?? failure.errors?.[0]?.code ?? failure.message ?? String(error);
}

/** One endpoint: which URL, from where, whether it answers and how fast. */
export async function endpointCheck(
  service: 'DynamoDB Streams' | 'DynamoDB',
  choice: EndpointChoice,
  clients: AwsClients,
  region: string | undefined,
): Promise<CheckResult> {
  const name = service === 'DynamoDB' ? 'dynamodb-endpoint' : 'streams-endpoint';
  // DynamoDB is needed to turn a table name into its stream; a stream ARN does without.
  const required = service === 'DynamoDB Streams';
  let url = choice.url;
  if (url === undefined) {
    if (!region) return { name, status: 'skip', detail: `${service}: needs a region`, required };
    url = await defaultUrl(service === 'DynamoDB' ? clients.tables : clients.streams, region);
  }
  try {
    const ms = await roundTrip(url);
    return { name, status: 'ok', detail: `${service} ${url} (from ${choice.source}) answers in ${ms} ms`, required };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `${service} ${url} (from ${choice.source}) does not answer: ${whyNoAnswer(error)}`,
      advice: clients.config.local
        ? 'start DynamoDB Local (e.g. `ddbstream local`) or fix the endpoint URL'
        : 'check the endpoint URL or region, and your network or proxy',
      required,
    };
  }
}
