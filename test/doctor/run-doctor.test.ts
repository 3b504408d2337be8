import { afterEach, describe, expect, it, vi } from 'vitest';
import { doctorPassed, runDoctor, type DoctorInput } from '../../src/doctor/run-doctor.js';
import { stubAwsEnv } from '../helpers/aws-env.js';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { localDynamoDbClient, useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

function input(overrides: Partial<DoctorInput> = {}): DoctorInput {
  return { options: { endpointUrl: local.endpoint }, env: process.env, nodeVersion: '22.12.0', ddbstreamVersion: '0.1.0', now: new Date(), ...overrides };
}

const byName = (results: Awaited<ReturnType<typeof runDoctor>>) => new Map(results.map((result) => [result.name, result]));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('doctor against DynamoDB Local', () => {
  it('passes in order, and with STREAM reads the stream', async () => {
    stubAwsEnv();
    const table = local.tableName('doctor');
    await local.createTableWithStream(table);
    const results = await runDoctor(input({ stream: table }));
    expect(results.map((result) => result.name)).toEqual([
      'node', 'region', 'credentials', 'streams-endpoint', 'dynamodb-endpoint', 'list-streams', 'stream', 'java',
    ]);
    const checks = byName(results);
    expect(checks.get('list-streams')!.detail).toMatch(/^ListStreams allowed: [1-9]\d* streams?$/);
    expect(checks.get('stream')).toMatchObject({ status: 'ok' });
    expect(checks.get('stream')!.detail).toMatch(new RegExp(`^${table}: ENABLED, NEW_AND_OLD_IMAGES; `));
    expect(doctorPassed(results)).toBe(true);
  });

  it('explains DynamoDB Local\'s per-key databases when another key lists nothing', async () => {
    // The helper's instance shares one database; this one keeps one per key and region, as
    // DynamoDB Local does by default.
    const perKey = await startDynamoDbLocal({ sharedDb: false, startTimeoutMs: 45_000 });
    const creator = localDynamoDbClient(perKey.endpoint);
    try {
      await creator.send(new CreateTableCommand({
        TableName: 'Users',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }));
      stubAwsEnv({ AWS_ACCESS_KEY_ID: 'otherkey9911', AWS_SECRET_ACCESS_KEY: 'secret-never-shown' });
      const results = await runDoctor(input({ options: { endpointUrl: perKey.endpoint } }));
      const checks = byName(results);
      expect(checks.get('list-streams')!.detail).toBe('ListStreams allowed: 0 streams');
      expect(checks.get('local-database')).toMatchObject({ status: 'note', required: false, detail: 'DynamoDB Local lists no streams for key …9911 in us-east-1' });
      expect(checks.get('local-database')!.advice).toMatch(/one database per access key and region unless started with -sharedDb/);
      expect(doctorPassed(results)).toBe(true);
      expect(JSON.stringify(results)).not.toContain('secret-never-shown');
    } finally {
      creator.destroy();
      await perKey.stop();
    }
  }, 60_000);

  it('fails, and skips what depends on them, without a region or credentials', async () => {
    stubAwsEnv();
    const results = await runDoctor(input({ options: {} , stream: 'Users' }));
    const checks = byName(results);
    expect(checks.get('region')!.status).toBe('fail');
    expect(checks.get('credentials')!.status).toBe('fail');
    expect(checks.get('list-streams')!.status).toBe('skip');
    expect(checks.get('stream')!.status).toBe('skip');
    expect(doctorPassed(results)).toBe(false);
  });

  it('fails on an unsupported Node, whatever else passes', async () => {
    stubAwsEnv();
    const results = await runDoctor(input({ nodeVersion: '18.20.4' }));
    expect(byName(results).get('node')).toMatchObject({ status: 'fail', detail: 'Node.js 18.20.4 (not supported), ddbstream 0.1.0' });
    expect(doctorPassed(results)).toBe(false);
  });
});
