import type { AwsClients } from '../aws/clients.js';
import { CheckTimeoutError, withinBound, type CheckResult } from './check.js';

/** The SDK marks resolved credentials with feature codes in `$source`; these name where they came from. */
const SOURCES: readonly [feature: string, source: (profile: string) => string][] = [
  ['CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN', () => 'web identity token (environment)'],
  ['CREDENTIALS_ENV_VARS', () => 'environment (AWS_ACCESS_KEY_ID)'],
  ['CREDENTIALS_PROFILE_SSO', (p) => `SSO, profile ${p}`],
  ['CREDENTIALS_PROFILE_SSO_LEGACY', (p) => `SSO, profile ${p}`],
  ['CREDENTIALS_SSO', (p) => `SSO, profile ${p}`],
  ['CREDENTIALS_PROFILE_PROCESS', (p) => `credential_process, profile ${p}`],
  ['CREDENTIALS_PROCESS', (p) => `credential_process, profile ${p}`],
  ['CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN', (p) => `web identity token, profile ${p}`],
  ['CREDENTIALS_PROFILE_SOURCE_PROFILE', (p) => `assumed role, profile ${p}`],
  ['CREDENTIALS_PROFILE_NAMED_PROVIDER', (p) => `assumed role, profile ${p}`],
  ['CREDENTIALS_PROFILE', (p) => `profile ${p}`],
  ['CREDENTIALS_HTTP', () => 'container role'],
  ['CREDENTIALS_IMDS', () => 'instance role'],
];

interface Identity {
  accessKeyId: string;
  expiration?: Date;
  $source?: Record<string, string>;
}

export function credentialSource(identity: Identity, profile: string): string {
  const features = identity.$source ?? {};
  for (const [feature, source] of SOURCES) if (feature in features) return source(profile);
  return 'the default chain';
}

/** The last four characters of the key id: enough to tell two keys apart, no more. */
export function keyIdTail(accessKeyId: string): string {
  return `…${accessKeyId.slice(-4)}`;
}

/**
 * Which credentials the default chain finds, for whom, and until when. The secret is never read
 * into the result: only the key id's tail and the expiry are.
 */
export async function credentialsCheck(clients: AwsClients, now: Date): Promise<CheckResult> {
  const name = 'credentials';
  if (clients.config.placeholderCredentials) {
    return {
      name,
      status: 'ok',
      detail: `placeholder key ${keyIdTail('ddbstreamlocal')} for an endpoint on this machine (none configured)`,
      required: true,
    };
  }
  const profile = clients.config.profile ?? 'default';
  let identity: Identity;
  try {
    identity = await withinBound(() => clients.streams.config.credentials());
  } catch (error) {
    const timedOut = error instanceof CheckTimeoutError;
    if (!timedOut && /\bSSO\b/.test((error as Error).message)) {
      // The profile is an SSO one and its login is missing or has expired: the one fix is known.
      return {
        name,
        status: 'fail',
        detail: `the SSO session of profile ${profile} is missing or has expired`,
        advice: `run \`aws sso login --profile ${profile}\``,
        required: true,
      };
    }
    return {
      name,
      status: 'fail',
      detail: timedOut ? `none found within ${error.ms / 1000} s` : 'none found',
      advice: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME, or run `aws sso login` / `aws configure`',
      required: true,
    };
  }
  const source = credentialSource(identity, profile);
  const expires = identity.expiration;
  const detail = `${source}, key ${keyIdTail(identity.accessKeyId)}${expires ? `, expires ${expires.toISOString()}` : ''}`;
  if (expires && expires.getTime() <= now.getTime()) {
    return {
      name,
      status: 'fail',
      detail: `${detail} (expired)`,
      advice: `refresh them (for SSO: aws sso login --profile ${profile})`,
      required: true,
    };
  }
  return { name, status: 'ok', detail, required: true };
}
