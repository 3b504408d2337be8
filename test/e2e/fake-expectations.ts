import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { FakeStreams } from '../fake-streams/index.js';

/** The fields of an export line that identify the record it came from. */
export interface ExportedLine {
  shardId: string;
  sequenceNumber: string;
  eventId: string;
  keys: Record<string, unknown>;
}

/** A record of the fake as an export line must show it. */
function storedLines(fake: FakeStreams, shardId: string, from = 0): ExportedLine[] {
  return fake.recordsOf(shardId, from).map((wire) => {
    const record = wire as { eventID: string; dynamodb: { SequenceNumber: string; Keys: Record<string, { S?: string }> } };
    return {
      shardId,
      sequenceNumber: record.dynamodb.SequenceNumber,
      eventId: record.eventID,
      keys: Object.fromEntries(Object.entries(record.dynamodb.Keys).map(([name, value]) => [name, value.S])),
    };
  });
}

/** The sequence numbers the fake holds for a shard, from record index `from`. */
export function storedSequenceNumbers(fake: FakeStreams, shardId: string, from = 0): string[] {
  return storedLines(fake, shardId, from).map((line) => line.sequenceNumber);
}

/**
 * Every record the fake holds for `shardIds` (from the given record index of each, default 0)
 * appears exactly once, with its own id and keys, in shard order; nothing else appears; and a
 * child's first line comes after its parent's last one.
 */
export function expectExactExport(
  fake: FakeStreams,
  lines: ExportedLine[],
  shardIds: string[],
  from: Record<string, number> = {},
): void {
  const seen = new Map<string, ExportedLine[]>();
  for (const line of lines) seen.set(line.shardId, [...(seen.get(line.shardId) ?? []), line]);
  for (const id of seen.keys()) expect(shardIds, `lines from unexpected shard ${id}`).toContain(id);
  for (const id of shardIds) {
    const got = (seen.get(id) ?? []).map(({ shardId, sequenceNumber, eventId, keys }) => ({ shardId, sequenceNumber, eventId, keys }));
    expect(got, `shard ${id}`).toEqual(storedLines(fake, id, from[id] ?? 0));
  }
  for (const id of shardIds) {
    const parent = fake.shardInfo(id).parentShardId;
    if (!parent || !seen.has(parent) || !seen.has(id)) continue;
    const parentLast = lines.findLastIndex((line) => line.shardId === parent);
    const childFirst = lines.findIndex((line) => line.shardId === id);
    expect(parentLast, `a line of ${id} came before its parent ${parent} ended`).toBeLessThan(childFirst);
  }
}

export interface CheckpointContent {
  streamArn: string;
  shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

export async function readCheckpoint(path: string): Promise<CheckpointContent> {
  return JSON.parse(await readFile(path, 'utf8')) as CheckpointContent;
}
