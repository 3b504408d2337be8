/**
 * A count with its noun in agreement: "1 shard", "3 shards", "12,345 records". Every count a
 * user reads goes through here, so no message says "1 records" or "record(s)".
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/**
 * A count with en-US digit groups: "12,345". Whole numbers are grouped here: the first
 * `toLocaleString` of a process loads ICU's number formats, about 14 ms of CPU that a short run
 * (a replay's summary line) paid for one line.
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return count.toLocaleString('en-US');
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}
