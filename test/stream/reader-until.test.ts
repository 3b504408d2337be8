import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordFilterFromOptions } from '../../src/records/record-filter.js';
import { pastUntil, type UntilSpec } from '../../src/stream/position.js';
import { readStream, type ReadStreamOptions } from '../../src/stream/reader.js';
import { selectRecords, type SelectedBatch } from '../../src/stream/select-records.js';
import { UNTIL_TIME_GRACE_MS } from '../../src/stream/until-point.js';
import { closeAll, delay, setUp, storedSequenceNumbers, waitFor } from './harness.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const MINUTE = 60_000;

// Only the clock is fake: the fake endpoint and the reader's polls run on real timers.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(async () => {
  vi.useRealTimers();
  await closeAll();
});

/** Follow with --until as tail, export --follow and replay --follow do; `ended` once the run ends by itself. */
function follow(options: ReadStreamOptions, until: UntilSpec): { selected: SelectedBatch[]; ended: Promise<void>; abort(): void } {
  const controller = new AbortController();
  const selected: SelectedBatch[] = [];
  const pages = readStream({ ...options, follow: true, until, signal: controller.signal });
  const ended = (async () => {
    for await (const batch of selectRecords(pages, { start: { position: options.start }, pastUntil: pastUntil(until), filter: recordFilterFromOptions({}) })) {
      selected.push(batch);
    }
  })();
  return { selected, ended, abort: () => controller.abort() };
}

const numbers = (batches: SelectedBatch[], shardId: string): string[] =>
  batches.filter((b) => b.shardId === shardId).flatMap((b) => b.records.map((r) => r.sequenceNumber));

describe('reader: --until while following', () => {
  it('a past time: every shard reads up to it, and the run ends by itself', async () => {
    const h = await setUp();
    const [busy, quiet] = h.fake.addRootShards(h.streamArn, 2);
    h.fake.appendGenerated(busy!, { count: 3, startTime: NOW - 30 * MINUTE, intervalMs: MINUTE });
    h.fake.appendGenerated(busy!, { count: 2, startTime: NOW - 5 * MINUTE, intervalMs: MINUTE });
    h.fake.appendGenerated(quiet!, { count: 2, startTime: NOW - 29 * MINUTE, intervalMs: MINUTE });
    const run = follow(h.options({ pageSize: 2 }), { kind: 'time', time: new Date(NOW - 10 * MINUTE), input: '10m' });

    await run.ended;
    expect(numbers(run.selected, busy!)).toEqual(storedSequenceNumbers(h.fake, busy!).slice(0, 3));
    expect(numbers(run.selected, quiet!)).toEqual(storedSequenceNumbers(h.fake, quiet!));
  });

  it('a future time: a quiet shard holds the run open only until the clock passes it', async () => {
    const h = await setUp();
    const [quiet] = h.fake.addRootShards(h.streamArn, 1);
    h.fake.appendGenerated(quiet!, { count: 2, startTime: NOW - MINUTE, intervalMs: 1_000 });
    const until = NOW + 10_000;
    const run = follow(h.options(), { kind: 'time', time: new Date(until), input: '' });
    let ended = false;
    void run.ended.then(() => (ended = true));

    await waitFor(() => numbers(run.selected, quiet!).length === 2, 5_000, 'the records before --until');
    // Many empty polls later, the clock is still before the point: the run goes on.
    await delay(300);
    expect(ended).toBe(false);
    vi.setSystemTime(until + UNTIL_TIME_GRACE_MS + 1);
    await run.ended;
    expect(numbers(run.selected, quiet!)).toEqual(storedSequenceNumbers(h.fake, quiet!));
  });

  it('a sequence number: a shard past it stops the quiet ones, and its children are never read', async () => {
    const h = await setUp();
    const [parent, quiet] = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 4 } });
    h.fake.closeShard(parent!);
    const child = h.fake.addShard(h.streamArn, { parentShardId: parent!, lazy: { count: 2 } });
    const point = storedSequenceNumbers(h.fake, parent!)[1]!;
    const run = follow(h.options(), { kind: 'sequence', sequenceNumber: point });

    await run.ended;
    expect(numbers(run.selected, parent!)).toEqual(storedSequenceNumbers(h.fake, parent!).slice(0, 2));
    // The quiet shard's numbers may lie on either side of the point: only those up to it count.
    expect(numbers(run.selected, quiet!)).toEqual(storedSequenceNumbers(h.fake, quiet!).filter((n) => BigInt(n) <= BigInt(point)));
    expect(h.fake.log.entries({ action: 'GetRecords', shardId: child })).toEqual([]);
  });

  it('without --until, following goes on past caught-up shards until stopped', async () => {
    const h = await setUp();
    const [shard] = h.fake.addRootShards(h.streamArn, 1, { lazy: { count: 2, startTime: NOW - MINUTE } });
    const controller = new AbortController();
    let ended = false;
    const reading = (async () => {
      for await (const batch of readStream(h.options({ follow: true, signal: controller.signal }))) void batch;
    })().then(() => (ended = true));
    await waitFor(() => h.fake.log.entries({ action: 'GetRecords', shardId: shard }).length >= 5, 5_000, 'polls');
    vi.setSystemTime(NOW + 24 * 60 * MINUTE);
    await delay(200);
    expect(ended).toBe(false);
    controller.abort();
    await reading;
  });
});
