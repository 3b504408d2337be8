import { describe, expect, it } from 'vitest';
import { LogQueue, type LogEntry } from '../../src/ui/log-queue.js';
import { record } from '../render/fixtures.js';

const rec = (n: number): LogEntry => ({ kind: 'record', record: record({ eventName: 'INSERT', sequenceNumber: String(n) }), receivedAt: n });
const note = (text: string, at = 0): LogEntry => ({ kind: 'notice', text, receivedAt: at });
const label = (entry: LogEntry | undefined): string | undefined =>
  entry === undefined ? undefined : entry.kind === 'notice' ? entry.text : entry.record.sequenceNumber;

function drain(queue: LogQueue): string[] {
  const out: string[] = [];
  for (let entry = queue.shift(); entry; entry = queue.shift()) out.push(label(entry)!);
  return out;
}

describe('LogQueue', () => {
  it('hands entries out oldest first and says when the oldest arrived', () => {
    const queue = new LogQueue(10);
    queue.push(rec(1), 'behind');
    queue.push(note('n'), 'behind');
    queue.push(rec(2), 'behind');
    expect(queue.oldestReceivedAt()).toBe(1);
    expect(queue).toMatchObject({ length: 3, recordCount: 2 });
    expect(drain(queue)).toEqual(['1', 'n', '2']);
    expect(queue.oldestReceivedAt()).toBeUndefined();
    expect(queue.shift()).toBeUndefined();
  });

  it('drops the oldest records past the bound, keeps notices in their order, and remembers the gap', () => {
    const queue = new LogQueue(2);
    queue.push(note('first'), 'behind');
    queue.push(rec(1), 'behind');
    queue.push(note('second'), 'behind');
    queue.push(rec(2), 'behind');
    expect(queue.push(rec(3), 'behind')).toBe(1);
    expect(queue.push(rec(4), 'behind')).toBe(1);
    expect(queue.recordCount).toBe(2);
    expect(queue.pendingDrops('behind')).toBe(2);
    expect(queue.takeGaps()).toEqual([{ reason: 'behind', count: 2 }]);
    expect(queue.pendingDrops('behind')).toBe(0);
    expect(drain(queue)).toEqual(['first', 'second', '3', '4']);
  });

  it('keeps gaps of different reasons apart, in the order they happened', () => {
    const queue = new LogQueue(1);
    queue.push(rec(1), 'paused');
    queue.push(rec(2), 'paused');
    queue.push(rec(3), 'behind');
    queue.push(rec(4), 'behind');
    queue.push(rec(5), 'paused');
    expect(queue.pendingDrops('paused')).toBe(2);
    expect(queue.takeGaps()).toEqual([
      { reason: 'paused', count: 1 }, { reason: 'behind', count: 2 }, { reason: 'paused', count: 1 },
    ]);
    expect(drain(queue)).toEqual(['5']);
  });

  it('stays correct across many pushes and takes (its array is compacted as it goes)', () => {
    const queue = new LogQueue(1_000);
    let next = 0;
    const taken: string[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 300; i++) queue.push(rec(next++), 'behind');
      for (let i = 0; i < 250; i++) taken.push(label(queue.shift())!);
    }
    const dropped = queue.takeGaps().reduce((sum, gap) => sum + gap.count, 0);
    taken.push(...drain(queue));
    expect(taken.length + dropped).toBe(next);
    expect(taken.map(Number)).toEqual([...taken.map(Number)].sort((a, b) => a - b));
    expect(taken.at(-1)).toBe(String(next - 1));
  });
});
