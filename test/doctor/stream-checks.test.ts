import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClients } from '../../src/aws/open-clients.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { listStreamsCheck, streamCheck } from '../../src/doctor/stream-checks.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';

let fake: FakeStreams;
let clients: AwsClients;

beforeAll(async () => {
  fake = await startFakeStreams();
  clients = openClients({ endpointUrl: fake.endpoint }, {});
  const users = fake.addTable({ tableName: 'Users', stream: { shards: 0 } }).streamArn!;
  fake.addRootShards(users, 2, { lazy: { count: 3 } });
  fake.addTable({ tableName: 'Plain' });
  fake.addTable({ tableName: 'Orders', stream: { shards: 0 } });
});
afterAll(async () => {
  clients?.destroy();
  await fake?.close();
});

describe('the ListStreams check', () => {
  it('counts the streams it is allowed to list', async () => {
    const { result, count } = await listStreamsCheck(clients);
    expect(count).toBe(2);
    expect(result).toEqual({ name: 'list-streams', status: 'ok', detail: 'ListStreams allowed: 2 streams', required: true });
  });

  it('fails with the service\'s words when ListStreams fails', async () => {
    fake.faults.internalErrors(4, { actions: ['ListStreams'] });
    const { result, count } = await listStreamsCheck(clients);
    expect(count).toBeUndefined();
    expect(result).toMatchObject({ status: 'fail', required: true });
    expect(result.advice).toBeTruthy();
    expect(result.advice).not.toMatch(/^ddbstream:/);
  });
});

describe('the stream check', () => {
  it('describes the stream and reads one page of one shard', async () => {
    const before = fake.log.count({ action: 'GetRecords' });
    const result = await streamCheck('Users', clients);
    expect(result.status).toBe('ok');
    expect(result.detail).toMatch(/^Users: ENABLED, NEW_AND_OLD_IMAGES; GetRecords on shardId-\S+ answered \(1 record\)$/);
    expect(fake.log.count({ action: 'GetRecords' })).toBe(before + 1);
  });

  it('says a stream without shards has nothing to read yet', async () => {
    expect((await streamCheck('Orders', clients)).detail).toMatch(/^Orders: .*; no shards to read yet$/);
  });

  it('fails on a table without a stream, with the command that enables one', async () => {
    const result = await streamCheck('Plain', clients);
    expect(result).toMatchObject({ status: 'fail', detail: 'Plain: cannot be read' });
    expect(result.advice).toMatch(/update-table --table-name Plain --stream-specification/);
  });

  it('fails on a name that is neither a table nor an ARN', async () => {
    expect((await streamCheck('not a table!', clients)).status).toBe('fail');
  });
});
