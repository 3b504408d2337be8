import { describe, expect, it } from 'vitest';
import { checkpointText, parseCheckpoint, streamConflict, type CheckpointPart } from '../../src/stream/checkpoint-format.js';

const USERS = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2024-01-01T00:00:00.000';
const USERS_RECREATED = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2024-06-01T00:00:00.000';
const ORDERS = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000';
const INVOICES = 'arn:aws:dynamodb:us-east-1:123456789012:table/Invoices/stream/2024-01-01T00:00:00.000';
const NOW = new Date('2024-07-01T12:00:00.000Z');

const part = (sequenceNumber: string): CheckpointPart => ({ shards: { 'shard-1': { sequenceNumber } } });

describe('the checkpoint file format', () => {
  it('reads a file written before several streams could share one (version 1)', () => {
    const text = JSON.stringify({
      format: 'ddbstream-checkpoint', version: 1, streamArn: USERS, updatedAt: '2024-01-02T00:00:00.000Z',
      shards: { 'shard-1': { sequenceNumber: '000000000000000000005' }, 'shard-0': { finished: true } },
      sections: { scan: { totalSegments: 4 } },
    });
    expect([...parseCheckpoint(text, 'cp.json')]).toEqual([[USERS, {
      shards: { 'shard-1': { sequenceNumber: '000000000000000000005' }, 'shard-0': { finished: true } },
      sections: { scan: { totalSegments: 4 } },
    }]]);
  });

  it('writes a file of one stream in exactly the version 1 shape', () => {
    const data = JSON.parse(checkpointText(new Map([[USERS, part('7')]]), NOW)) as Record<string, unknown>;
    expect(data).toEqual({ format: 'ddbstream-checkpoint', version: 1, streamArn: USERS, updatedAt: NOW.toISOString(), shards: { 'shard-1': { sequenceNumber: '7' } } });
  });

  it('writes several streams as version 2, one part per stream ARN, and reads them back', () => {
    const parts = new Map([[USERS, part('7')], [ORDERS, { shards: { 'shard-9': { finished: true } }, sections: { scan: { done: true } } }]]);
    const text = checkpointText(parts, NOW);
    const data = JSON.parse(text) as { version: number; streamArn?: string; streams: Record<string, unknown> };
    expect(data.version).toBe(2);
    // An older ddbstream looks for a top-level streamArn: without one it refuses the file instead of misreading it.
    expect(data.streamArn).toBeUndefined();
    expect(Object.keys(data.streams)).toEqual([USERS, ORDERS]);
    expect(parseCheckpoint(text, 'cp.json')).toEqual(parts);
  });

  it('leaves out parts with nothing in them: a file with one real part stays version 1', () => {
    const data = JSON.parse(checkpointText(new Map([[USERS, { shards: {} }], [ORDERS, part('3')]]), NOW)) as Record<string, unknown>;
    expect(data).toMatchObject({ version: 1, streamArn: ORDERS });
  });

  it('refuses what it cannot read: a newer version, parts that are not parts, bad sequence numbers', () => {
    const file = (extra: Record<string, unknown>): string => JSON.stringify({ format: 'ddbstream-checkpoint', ...extra });
    expect(() => parseCheckpoint(file({ version: 3, streams: {} }), 'cp.json')).toThrow(expect.objectContaining({ problem: { kind: 'not-a-checkpoint' } }));
    expect(() => parseCheckpoint(file({ version: 2, streams: [] }), 'cp.json')).toThrow(expect.objectContaining({ problem: { kind: 'not-a-checkpoint' } }));
    expect(() => parseCheckpoint(file({ version: 2, streams: { [USERS]: { shards: null } } }), 'cp.json'))
      .toThrow(expect.objectContaining({ problem: { kind: 'not-a-checkpoint' } }));
    expect(() => parseCheckpoint(file({ version: 2, streams: { [USERS]: { shards: { s: { sequenceNumber: 12 } } } } }), 'cp.json'))
      .toThrow(expect.objectContaining({ problem: { kind: 'invalid-sequence-number', shardId: 's' } }));
    expect(() => parseCheckpoint(file({ version: 1, streamArn: USERS, shards: { s: null } }), 'cp.json'))
      .toThrow(expect.objectContaining({ problem: { kind: 'not-a-checkpoint' } }));
  });
});

describe('streamConflict: may a run of these streams use a file with these parts', () => {
  it('yes when it shares a stream with the file, whatever else either holds', () => {
    expect(streamConflict([USERS, ORDERS], [USERS])).toBeUndefined();
    expect(streamConflict([USERS], [USERS, ORDERS])).toBeUndefined();
    expect(streamConflict([USERS, ORDERS], [ORDERS, INVOICES])).toBeUndefined();
    expect(streamConflict([], [USERS, ORDERS])).toBeUndefined();
  });

  it('no when a part is of another stream of the same table (the table was re-created)', () => {
    expect(streamConflict([USERS, ORDERS], [USERS_RECREATED, ORDERS])).toEqual({ kind: 'other-stream', savedFor: USERS, wanted: USERS_RECREATED });
    expect(streamConflict([USERS], [USERS_RECREATED])).toEqual({ kind: 'other-stream', savedFor: USERS, wanted: USERS_RECREATED });
  });

  it('yes when the run names both streams of the table', () => {
    expect(streamConflict([USERS], [USERS, USERS_RECREATED])).toBeUndefined();
  });

  it('no when none of the file\'s parts is for a stream of the run: another file was meant', () => {
    expect(streamConflict([ORDERS], [USERS])).toEqual({ kind: 'other-stream', savedFor: ORDERS, wanted: USERS });
    expect(streamConflict([ORDERS, INVOICES], [USERS])).toEqual({ kind: 'other-stream', savedFor: ORDERS, wanted: USERS });
  });
});
