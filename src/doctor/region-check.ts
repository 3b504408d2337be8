import type { AwsOptions } from '../aws/aws-options.js';
import type { AwsClients } from '../aws/clients.js';
import { withinBound, type CheckResult } from './check.js';

/** Where the region came from, in the order the clients look. */
export function regionSource(options: AwsOptions, env: NodeJS.ProcessEnv, local: boolean): string | undefined {
  if (options.region !== undefined) return '--region';
  if (env.AWS_REGION) return 'AWS_REGION';
  if (env.AWS_DEFAULT_REGION) return 'AWS_DEFAULT_REGION';
  if (local) return 'the default for an endpoint on this machine';
  return undefined;
}

/**
 * The region and where it came from. Without a flag or variable the SDK reads the profile's
 * `region`; failing that, nothing can be read from AWS.
 */
export interface RegionOutcome {
  result: CheckResult;
  region: string | undefined;
}

export async function regionCheck(options: AwsOptions, env: NodeJS.ProcessEnv, clients: AwsClients): Promise<RegionOutcome> {
  const name = 'region';
  const source = regionSource(options, env, clients.config.local);
  if (source && clients.config.region) {
    const region = clients.config.region;
    return { result: { name, status: 'ok', detail: `${region} (from ${source})`, required: true }, region };
  }
  const profile = clients.config.profile ?? 'default';
  try {
    const region = await withinBound(() => clients.streams.config.region());
    if (region) return { result: { name, status: 'ok', detail: `${region} (from profile ${profile})`, required: true }, region };
  } catch {
    // No region anywhere: said below.
  }
  const result: CheckResult = {
    name,
    status: 'fail',
    detail: 'no region: not from --region, AWS_REGION, AWS_DEFAULT_REGION, nor profile ' + profile,
    advice: 'pass --region (e.g. --region us-east-1), set AWS_REGION, or add region to the profile in ~/.aws/config',
    required: true,
  };
  return { result, region: undefined };
}
