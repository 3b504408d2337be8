import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openClients } from '../../src/aws/open-clients.js';
import { resolveAwsConfig } from '../../src/aws/client-config.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { credentialsCheck } from '../../src/doctor/credentials-check.js';
import type { AwsOptions } from '../../src/aws/aws-options.js';
import { stubAwsEnv } from '../helpers/aws-env.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

async function check(options: AwsOptions, env: NodeJS.ProcessEnv) {
  const clients = openClients({ region: 'us-east-1', ...options }, env);
  try {
    return await credentialsCheck(clients, NOW);
  } finally {
    clients.destroy();
  }
}

/** Clients whose credentials are exactly these: for expiry, which the default chain would refresh. */
function clientsWith(credentials: { accessKeyId: string; secretAccessKey: string; expiration?: Date }): AwsClients {
  const config = resolveAwsConfig({ region: 'us-east-1' }, {});
  const streams = new DynamoDBStreamsClient({ region: 'us-east-1', credentials });
  const tables = new DynamoDBClient({ region: 'us-east-1', credentials });
  return { streams, tables, config, destroy: () => (streams.destroy(), tables.destroy()) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the credentials check', () => {
  it('names the environment as the source and shows only the key id\'s last 4 characters', async () => {
    const env = stubAwsEnv({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET });
    const result = await check({}, env);
    expect(result).toEqual({ name: 'credentials', status: 'ok', detail: 'environment (AWS_ACCESS_KEY_ID), key …MPLE', required: true });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain('AKIAIOSFODNN7');
  });

  it('names the profile the shared credentials file gave', async () => {
    const dir = tempDir('ddbstream-doctor-');
    writeFileSync(join(dir, 'credentials'), `[work]\naws_access_key_id = AKIAWORKPROFILE0042\naws_secret_access_key = ${SECRET}\n`);
    const env = stubAwsEnv({ AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') });
    const result = await check({ profile: 'work' }, env);
    expect(result).toMatchObject({ status: 'ok', detail: 'profile work, key …0042' });
  });

  it('names credential_process and shows when its credentials expire', async () => {
    const dir = tempDir('ddbstream-doctor-');
    const answer = { Version: 1, AccessKeyId: 'ASIAPROCESS00007777', SecretAccessKey: SECRET, SessionToken: 't', Expiration: '2099-01-01T00:00:00Z' };
    writeFileSync(join(dir, 'answer.json'), JSON.stringify(answer));
    writeFileSync(join(dir, 'config'), `[profile tool]\ncredential_process = cat ${join(dir, 'answer.json')}\n`);
    const env = stubAwsEnv({ AWS_CONFIG_FILE: join(dir, 'config') });
    const result = await check({ profile: 'tool' }, env);
    expect(result).toMatchObject({ status: 'ok', detail: 'credential_process, profile tool, key …7777, expires 2099-01-01T00:00:00.000Z' });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('fails with what to do when the chain finds none', async () => {
    const env = stubAwsEnv();
    const result = await check({}, env);
    expect(result).toMatchObject({ status: 'fail', detail: 'none found', required: true });
    expect(result.advice).toMatch(/AWS_ACCESS_KEY_ID.*--profile.*aws sso login/);
  });

  it('asks for `aws sso login` when an SSO profile has no valid session', async () => {
    const dir = tempDir('ddbstream-doctor-');
    writeFileSync(join(dir, 'config'), [
      '[profile corp]', 'sso_session = corp', 'sso_account_id = 111122223333', 'sso_role_name = Reader', '',
      '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1', '',
    ].join('\n'));
    // No ~/.aws/sso/cache there: no login has happened.
    const env = stubAwsEnv({ AWS_CONFIG_FILE: join(dir, 'config') });
    vi.stubEnv('HOME', dir);
    const result = await check({ profile: 'corp' }, env);
    expect(result).toMatchObject({
      status: 'fail', detail: 'the SSO session of profile corp is missing or has expired', advice: 'run `aws sso login --profile corp`',
    });
  });

  it('fails on credentials that have expired, saying how to refresh them', async () => {
    stubAwsEnv();
    const clients = clientsWith({ accessKeyId: 'ASIAEXPIRED00001234', secretAccessKey: SECRET, expiration: new Date('2026-06-01T11:00:00Z') });
    try {
      const result = await credentialsCheck(clients, NOW);
      expect(result).toMatchObject({ status: 'fail', detail: 'the default chain, key …1234, expires 2026-06-01T11:00:00.000Z (expired)' });
      expect(result.advice).toMatch(/aws sso login/);
    } finally {
      clients.destroy();
    }
  });

  it('says so when placeholder credentials stand in for a local endpoint', async () => {
    const env = stubAwsEnv();
    const result = await check({ endpointUrl: 'http://127.0.0.1:8000' }, env);
    expect(result).toMatchObject({ status: 'ok', detail: 'placeholder key …ocal for an endpoint on this machine (none configured)' });
  });
});
