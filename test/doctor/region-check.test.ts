import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openClients } from '../../src/aws/open-clients.js';
import { regionCheck } from '../../src/doctor/region-check.js';
import type { AwsOptions } from '../../src/aws/aws-options.js';
import { stubAwsEnv } from '../helpers/aws-env.js';
import { tempDir } from '../helpers/temp-dir.js';

async function check(options: AwsOptions, env: NodeJS.ProcessEnv) {
  const clients = openClients(options, env);
  try {
    return await regionCheck(options, env, clients);
  } finally {
    clients.destroy();
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the region check', () => {
  it('names the flag, then AWS_REGION, then AWS_DEFAULT_REGION as the source', async () => {
    const env = stubAwsEnv({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' });
    expect((await check({ region: 'us-west-2' }, env)).result.detail).toBe('us-west-2 (from --region)');
    expect((await check({}, env)).result.detail).toBe('eu-west-1 (from AWS_REGION)');
    vi.stubEnv('AWS_REGION', undefined);
    const fallback = await check({}, env);
    expect(fallback.result).toMatchObject({ status: 'ok', detail: 'ap-south-1 (from AWS_DEFAULT_REGION)' });
    expect(fallback.region).toBe('ap-south-1');
  });

  it('reads the profile\'s region from the config file', async () => {
    const config = join(tempDir('ddbstream-doctor-'), 'config');
    writeFileSync(config, '[profile work]\nregion = eu-central-2\n');
    const env = stubAwsEnv({ AWS_CONFIG_FILE: config });
    expect((await check({ profile: 'work' }, env)).result).toMatchObject({ status: 'ok', detail: 'eu-central-2 (from profile work)' });
  });

  it('fails with what to do when there is no region anywhere', async () => {
    const env = stubAwsEnv();
    const { result, region } = await check({}, env);
    expect(region).toBeUndefined();
    expect(result).toMatchObject({ status: 'fail', required: true });
    expect(result.advice).toMatch(/--region .*AWS_REGION.*~\/\.aws\/config/);
  });

  it('takes the local default for an endpoint on this machine', async () => {
    const env = stubAwsEnv();
    expect((await check({ endpointUrl: 'http://localhost:8000' }, env)).result.detail).toBe('us-east-1 (from the default for an endpoint on this machine)');
  });
});
