/** Deterministic 32-bit generator (mulberry32): the same seed builds the same ids and orders. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomHex(random: () => number, digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return out.slice(0, digits);
}

/** `shardId-<20-digit ms epoch>-<8 hex>`, the form DynamoDB Streams uses. */
export function formatShardId(createdAtMs: number, hex8: string): string {
  return `shardId-${String(Math.floor(createdAtMs)).padStart(20, '0')}-${hex8}`;
}

/** Stream labels are the creation time in ISO form without the zone suffix. */
export function formatStreamLabel(createdAtMs: number): string {
  return new Date(createdAtMs).toISOString().replace(/Z$/, '');
}

export function streamArn(region: string, account: string, table: string, label: string): string {
  return `arn:aws:dynamodb:${region}:${account}:table/${table}/stream/${label}`;
}

export function tableArn(region: string, account: string, table: string): string {
  return `arn:aws:dynamodb:${region}:${account}:table/${table}`;
}

/**
 * Every shard of a stream owns a disjoint block of sequence numbers, and blocks are handed out in
 * creation order. A child is always created after its parent, so each of its numbers is greater
 * than any of the parent's, even if the parent still takes writes (the DescribeStream race).
 */
export const SEQUENCE_ORIGIN = 300_000_000_000_000_000_000n; // 21 digits, like the real service
export const SEQUENCE_BLOCK = 100_000_000_000_000n;
/** Gaps between neighbours: real numbers are not contiguous, so readers must not assume +1. */
export const SEQUENCE_STRIDE = 10n;
export const MAX_RECORDS_PER_SHARD = Number(SEQUENCE_BLOCK / SEQUENCE_STRIDE);

export function shardSequenceBase(shardOrdinal: number): bigint {
  return SEQUENCE_ORIGIN + BigInt(shardOrdinal) * SEQUENCE_BLOCK;
}

/**
 * 32 hex digits, stable per shard and index, like the service's event ids (cheaper than a
 * digest). The second word is a bijection of the index, so ids never repeat within a shard.
 */
export function eventIdFor(shardId: string, index: number): string {
  const shard = hashString(shardId);
  return hex8(shard) + hex8(mix32(index ^ shard)) + hex8(mix32(index + 0x9e3779b9)) + hex8(mix32(index ^ 0x85ebca6b));
}

// murmur3's finaliser: a bijection on 32-bit integers.
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex8 = (value: number) => value.toString(16).padStart(8, '0');

/** Stable small hash for routing a key to a shard. */
export function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
