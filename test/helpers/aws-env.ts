import { vi } from 'vitest';

/**
 * The AWS SDK's default chains read process.env itself, not an environment handed to it: point
 * them at nothing of the machine (no files, no instance metadata, no variables), plus `extra`.
 * Undone by vi.unstubAllEnvs().
 */
export function stubAwsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) vi.stubEnv(key, undefined);
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/ddbstream-test-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/ddbstream-test-credentials');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  for (const [key, value] of Object.entries(extra)) vi.stubEnv(key, value);
  return process.env;
}
