/**
 * A count with its noun in agreement: "1 shard", "3 shards", "12,345 records". Every count a
 * user reads goes through here, so no message says "1 records" or "record(s)".
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
