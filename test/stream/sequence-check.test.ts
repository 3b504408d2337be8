import { afterEach, describe, expect, it } from 'vitest';
import { SequenceNotInStreamError } from '../../src/stream/errors.js';
import { checkSequenceStart } from '../../src/stream/sequence-check.js';
import { closeAll, setUp, storedSequenceNumbers, type Harness } from './harness.js';

afterEach(closeAll);

function check(h: Harness, sequenceNumber: string): Promise<void> {
  return checkSequenceStart(h.clients.streams, { streamArn: h.streamArn, table: 'T' }, sequenceNumber);
}

/** Two closed shards and an open one, each with records. */
async function threeShards(): Promise<{ h: Harness; closed: string[]; open: string }> {
  const h = await setUp();
  const closed = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 3 }, closed: true });
  const [open] = h.fake.addRootShards(h.streamArn, 1, { lazy: { count: 3 } });
  return { h, closed, open: open! };
}

describe('checkSequenceStart: does any shard hold a sequence number?', () => {
  it('a record of a closed or an open shard is held', async () => {
    const { h, closed, open } = await threeShards();
    await expect(check(h, storedSequenceNumbers(h.fake, closed[1]!)[1]!)).resolves.toBeUndefined();
    // A closed shard's range answers by itself: no iterator asked for.
    expect(h.fake.log.entries({ action: 'GetShardIterator' })).toHaveLength(0);
    await expect(check(h, storedSequenceNumbers(h.fake, open)[2]!)).resolves.toBeUndefined();
  });

  it('a number before every shard, or past the open shard\'s newest record, is held by none', async () => {
    const { h, open } = await threeShards();
    const error = await check(h, '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SequenceNotInStreamError);
    expect(error).toMatchObject({ exitCode: 2, table: 'T', sequenceNumber: '1' });
    const past = (BigInt(storedSequenceNumbers(h.fake, open).at(-1)!) + 10n ** 30n).toString();
    await expect(check(h, past)).rejects.toBeInstanceOf(SequenceNotInStreamError);
  });

  it('an InternalFailure at the number (DynamoDB Local) while the shard answers at TRIM_HORIZON is a refusal', async () => {
    const { h, open } = await threeShards();
    const held = storedSequenceNumbers(h.fake, open)[0]!;
    // Both attempts of the SDK at the number fail; TRIM_HORIZON is answered.
    h.fake.faults.internalErrors(2, { actions: ['GetShardIterator'] });
    await expect(check(h, held)).rejects.toBeInstanceOf(SequenceNotInStreamError);
  });

  it('an outage is never taken for a wrong number: when TRIM_HORIZON fails too, the reader decides', async () => {
    const { h, open } = await threeShards();
    h.fake.faults.internalErrors(4, { actions: ['GetShardIterator'] });
    await expect(check(h, storedSequenceNumbers(h.fake, open)[0]!)).resolves.toBeUndefined();
  });

  it('a trimmed number is held (the reader says it was trimmed)', async () => {
    const { h, open } = await threeShards();
    const first = storedSequenceNumbers(h.fake, open)[0]!;
    h.fake.trimRecords(open, 2);
    await expect(check(h, first)).resolves.toBeUndefined();
  });
});
