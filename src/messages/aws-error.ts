import { RuntimeError } from '../util/errors.js';

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * Turn what the AWS SDK throws into one actionable line. Returns undefined for errors it does not
 * recognise, so the caller can say "run with --debug".
 */
export function explainAwsError(error: unknown): RuntimeError | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & AwsLikeError;
  const code = e.code ?? (e.cause as AwsLikeError | undefined)?.code;
  const name = e.name;
  if (code && NETWORK_CODES.has(code)) {
    return new RuntimeError(
      `cannot reach the endpoint (${code}). Check --endpoint-url / --region, that DynamoDB Local is running, or your network.`,
      { cause: error },
    );
  }
  if (name === 'TimeoutError' || /timed? ?out/i.test(e.message)) {
    return new RuntimeError(`the endpoint did not answer in time. Check --endpoint-url / --region and your network.`, { cause: error });
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message)) {
    return new RuntimeError(
      'no AWS credentials found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass --profile NAME (run `aws sso login --profile NAME` for SSO), or run where a role is attached.',
      { cause: error },
    );
  }
  if (/Region is missing/i.test(e.message)) {
    return new RuntimeError('no AWS region set. Pass --region (e.g. --region eu-west-1) or set AWS_REGION.', { cause: error });
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || name === 'IncompleteSignature') {
    return new RuntimeError(`AWS rejected the credentials (${name}). Check the access key, or pick another --profile.`, { cause: error });
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken') {
    return new RuntimeError('the AWS session token has expired. Refresh it (e.g. `aws sso login --profile NAME`) and try again.', { cause: error });
  }
  if (name === 'AccessDeniedException') {
    return new RuntimeError(`access denied: ${e.message}. The credentials need dynamodb:DescribeTable and dynamodb:ListStreams/DescribeStream/GetShardIterator/GetRecords.`, { cause: error });
  }
  if (name === 'UnknownEndpoint' || /getaddrinfo/.test(e.message)) {
    return new RuntimeError(`cannot resolve the endpoint host. Check --region (is it a real region?) and --endpoint-url.`, { cause: error });
  }
  if (name === 'ResourceNotFoundException') {
    return new RuntimeError(`not found: ${e.message}. Check the name, --region and --profile.`, { cause: error });
  }
  if (e.$metadata?.httpStatusCode !== undefined && name) {
    return new RuntimeError(`AWS error ${name}: ${e.message}`, { cause: error });
  }
  return undefined;
}
