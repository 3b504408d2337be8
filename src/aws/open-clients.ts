import type { AwsOptions } from './aws-options.js';
import { resolveAwsConfig } from './client-config.js';
import { createClients, type AwsClients } from './clients.js';

/** Clients for a command: flags and environment resolved, placeholder credentials for local use. */
export function openClients(options: AwsOptions, env: NodeJS.ProcessEnv, regionHint?: string): AwsClients {
  return createClients(resolveAwsConfig(options, env, regionHint));
}
