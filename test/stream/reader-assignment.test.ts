import { afterEach, describe, expect, it } from 'vitest';
import type { AssignableShard, ShardAssignment, ShardStop, ShardTurn } from '../../src/stream/shard-assignment.js';
import { closeAll, followUntil, sequenceNumbers, setUp, storedSequenceNumbers } from './harness.js';

afterEach(closeAll);

describe('reader under an assignment', () => {
  // A following reader marks a shard that caught up "at-tip" (for the caught-up event). A shard
  // taken from it after that must be waited for again, not left as read to its tip: otherwise a
  // worker of a group that gets the shard back (its new owner killed) never reads it again.
  it('following, waits again for a shard taken away after it caught up, and reads it when it comes back', async () => {
    const h = await setUp();
    const [shardId] = h.fake.addRootShards(h.streamArn, 1, { lazy: { count: 5 } });
    const first = storedSequenceNumbers(h.fake, shardId!);
    const turns: AssignableShard[] = [];
    const stops: ShardStop[] = [];
    let caughtUp = false;
    let held = true;
    const assignment: ShardAssignment = {
      turn: async (shard): Promise<ShardTurn> => {
        turns.push(shard);
        if (turns.length === 1) return { read: true, start: { type: 'TRIM_HORIZON' } };
        // Taken back after another worker held it for a while: records were added meanwhile.
        h.fake.appendGenerated(shardId!, { count: 4 });
        held = true;
        return { read: true, start: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: first[first.length - 1]! } };
      },
      // Taken by another worker as soon as the shard has caught up once.
      holds: () => held && !(caughtUp && turns.length === 1),
      stopped: async (_shardId, stop) => {
        stops.push(stop);
        held = false;
      },
    };
    const batches = await followUntil(
      h.options({ assignment, onEvent: (event) => (caughtUp ||= event.type === 'caught-up') }),
      (all) => sequenceNumbers(all).length >= first.length + 4,
      { timeoutMs: 5_000 },
    );
    expect(caughtUp).toBe(true);
    expect(stops[0]).toEqual({ how: 'lost', lastRead: first[first.length - 1] });
    expect(turns).toHaveLength(2);
    expect(sequenceNumbers(batches)).toEqual(storedSequenceNumbers(h.fake, shardId!));
  });
});
