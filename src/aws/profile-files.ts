import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../util/errors.js';

/** The shared config and credentials files the SDK reads profiles from, as it finds them. */
export function profileFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

/** Section names of an ini file: `[default]`, `[profile dev]` (config) and `[dev]` (credentials) all name a profile. */
function profilesIn(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/^\s*\[\s*(?:profile\s+)?([^\]\s]+)\s*\]/gm)].map((match) => match[1]!);
}

/**
 * A named profile that neither file has is a mistake the SDK reports only as "no credentials"
 * (and after a warning about credential sources): say which profile, and where it was looked for.
 *
 * @param source how the name was given: `--profile` or `AWS_PROFILE`
 */
export function checkProfileExists(profile: string, source: string, env: NodeJS.ProcessEnv): void {
  const files = profileFiles(env);
  if (profilesIn(files.config).includes(profile) || profilesIn(files.credentials).includes(profile)) return;
  throw new UsageError(
    `profile "${profile}" (${source}) is not in ${files.config} nor ${files.credentials}. ` +
      'Check the name (`aws configure list-profiles` lists them), or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the files that have it.',
  );
}
