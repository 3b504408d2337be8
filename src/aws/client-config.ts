import { UsageError } from '../util/errors.js';
import type { AwsOptions } from './aws-options.js';
import { normalizeEndpointUrl } from './endpoint-url.js';

/** Where and as whom to talk to AWS, resolved once from flags and environment. */
export interface ResolvedAwsConfig {
  region: string | undefined;
  profile: string | undefined;
  /** Endpoint for DynamoDB Streams (and, unless overridden, DynamoDB itself). */
  streamsEndpoint: string | undefined;
  tableEndpoint: string | undefined;
  /** True when the endpoint is this machine: DynamoDB Local, a fake, or a port-forward. */
  local: boolean;
  /** Placeholder credentials are used: a local endpoint and nothing configured. */
  placeholderCredentials: boolean;
}

// DynamoDB Local accepts any key. A fixed one keeps the same database across runs when
// DynamoDB Local runs without -sharedDb (it keeps one database per key and region).
export const PLACEHOLDER_CREDENTIALS = { accessKeyId: 'ddbstreamlocal', secretAccessKey: 'ddbstreamlocal' };
export const LOCAL_DEFAULT_REGION = 'us-east-1';

export function isLocalEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '0.0.0.0' ||
      host.endsWith('.localhost');
  } catch {
    return false;
  }
}

// us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-7 ...
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function resolveAwsConfig(options: AwsOptions, env: NodeJS.ProcessEnv, regionHint?: string): ResolvedAwsConfig {
  const streamsEndpoint = endpointFrom(options, env, 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS') ?? endpointFrom({}, env, 'AWS_ENDPOINT_URL');
  const tableEndpoint = endpointFrom(options, env, 'AWS_ENDPOINT_URL_DYNAMODB') ?? streamsEndpoint;
  const local = isLocalEndpoint(streamsEndpoint);
  if (options.region !== undefined && !local && !REGION_NAME.test(options.region)) {
    // A local endpoint takes any region; AWS would fail later with an unhelpful DNS error.
    throw new UsageError(`--region "${options.region}" is not an AWS region name (like us-east-1 or eu-west-2).`);
  }
  const profile = options.profile ?? env.AWS_PROFILE;
  const credentialsConfigured = Boolean(profile || env.AWS_ACCESS_KEY_ID);
  let region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? regionHint;
  if (!region && local) region = LOCAL_DEFAULT_REGION;
  return {
    region,
    profile,
    streamsEndpoint,
    tableEndpoint,
    local,
    placeholderCredentials: local && !credentialsConfigured,
  };
}

/** The flag if given, else the variable: either checked and normalized, and named in the error. */
function endpointFrom(options: AwsOptions, env: NodeJS.ProcessEnv, variable: string): string | undefined {
  if (options.endpointUrl !== undefined) return normalizeEndpointUrl(options.endpointUrl, '--endpoint-url');
  const value = env[variable];
  return value ? normalizeEndpointUrl(value, variable) : undefined;
}
