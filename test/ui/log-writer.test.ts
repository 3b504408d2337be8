import { describe, expect, it } from 'vitest';
import { LogQueue } from '../../src/ui/log-queue.js';
import { drainLog } from '../../src/ui/log-writer.js';
import { record } from '../render/fixtures.js';
import type { RenderOptions } from '../../src/render/record-text.js';

const render = (): RenderOptions => ({ mode: 'diff', color: false, width: 100 });

function filled(count: number, max = 10_000): LogQueue {
  const queue = new LogQueue(max);
  for (let i = 0; i < count; i++) {
    queue.push({ kind: 'record', record: record({ eventName: 'REMOVE', keys: { pk: { S: `r${i}` } } }), receivedAt: 0 }, 'behind');
  }
  return queue;
}

describe('drainLog', () => {
  it('writes everything in a few large writes when time allows, each record once and in order', () => {
    const queue = filled(450);
    const writes: string[] = [];
    const written = drainLog(queue, { render, write: (t) => writes.push(t), clock: () => 0, budgetMs: 40 });
    expect(written).toBe(450);
    expect(queue.length).toBe(0);
    expect(writes.length).toBeLessThanOrEqual(3);
    const text = writes.join('');
    const keys = [...text.matchAll(/pk=(r\d+) /g)].map((m) => m[1]);
    expect(keys).toEqual(Array.from({ length: 450 }, (_, i) => `r${i}`));
    expect(text.endsWith('\n\n')).toBe(true);
  });

  it('stops at the budget, counting the time the writes themselves take', () => {
    const queue = filled(1_000);
    let now = 0;
    const writes: string[] = [];
    const written = drainLog(queue, {
      render,
      write: (t) => {
        writes.push(t);
        now += 30; // a slow terminal
      },
      clock: () => now,
      budgetMs: 40,
    });
    expect(writes).toHaveLength(2);
    expect(written).toBe(1_000 - queue.length);
    expect(queue.length).toBeGreaterThan(0);
  });

  it('puts a gap line where records were dropped, with its reason', () => {
    const queue = filled(3, 2);
    queue.push({ kind: 'notice', text: 'shard s: iterator expired', receivedAt: 0 }, 'behind');
    const writes: string[] = [];
    drainLog(queue, { render, write: (t) => writes.push(t), clock: () => 0, budgetMs: 40 });
    const text = writes.join('');
    expect(text.indexOf('… 1 record dropped: the terminal could not keep up\n\n')).toBe(0);
    expect(text).not.toContain('pk=r0 ');
    expect(text.indexOf('pk=r1 ')).toBeLessThan(text.indexOf('pk=r2 '));
    expect(text).toMatch(/pk=r2 [^]*… shard s: iterator expired\n\n$/);
  });

  it('starts no chunk while the terminal is not ready, and stops when it falls behind', () => {
    const queue = filled(500);
    const writes: string[] = [];
    expect(drainLog(queue, { render, write: (t) => writes.push(t), clock: () => 0, budgetMs: 40, ready: () => false })).toBe(0);
    expect(writes).toEqual([]);
    const written = drainLog(queue, { render, write: (t) => writes.push(t), clock: () => 0, budgetMs: 40, ready: () => writes.length === 0 });
    expect(writes).toHaveLength(1);
    expect(written).toBeGreaterThan(0);
    expect(queue.length).toBe(500 - written);
  });

  it('writes nothing when nothing waits', () => {
    const writes: string[] = [];
    expect(drainLog(new LogQueue(5), { render, write: (t) => writes.push(t), clock: () => 0, budgetMs: 40 })).toBe(0);
    expect(writes).toEqual([]);
  });
});
