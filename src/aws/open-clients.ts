import type { AwsOptions } from './aws-options.js';
import { resolveAwsConfig } from './client-config.js';
import { createClients, type AwsClients } from './clients.js';
import { checkProfileExists } from './profile-files.js';

/** Clients for a command: flags and environment resolved, placeholder credentials for local use. */
export function openClients(options: AwsOptions, env: NodeJS.ProcessEnv, regionHint?: string): AwsClients {
  const config = resolveAwsConfig(options, env, regionHint);
  if (config.profile !== undefined) checkProfileExists(config.profile, options.profile !== undefined ? '--profile' : 'AWS_PROFILE', env);
  return createClients(config);
}
