import type { LambdaStreamRecord } from '../records/lambda-record.js';

/** The item's key as one string, independent of attribute order. */
export function itemKeyOf(record: LambdaStreamRecord): string {
  const keys = record.dynamodb.Keys;
  return JSON.stringify(Object.keys(keys).sort().map((name) => [name, keys[name]]));
}

/**
 * Which of `lanes` concurrent lanes of a shard carries this item. Every record of one item lands
 * in the same lane, so with a parallelization factor above 1 an item's records still run one at
 * a time and in order, as Lambda promises.
 */
export function laneOf(record: LambdaStreamRecord, lanes: number): number {
  if (lanes <= 1) return 0;
  // FNV-1a: cheap and well spread over short strings.
  let hash = 0x811c9dc5;
  const key = itemKeyOf(record);
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
