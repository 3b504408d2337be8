/**
 * Shard iterators carry their whole state, so a run issuing millions of them keeps no table.
 * The form mimics the real one (`<stream arn>|1|<base64>`); clients must treat it as opaque.
 */
export interface IteratorState {
  streamArn: string;
  shardId: string;
  /** Index of the next record to return. */
  position: number;
  issuedAt: number;
  /**
   * Issued while the shard held no readable record, and followed through empty pages since:
   * what DynamoDB Local refuses as trimmed once records arrive (see Faults.trimIteratorsTakenOnEmptyShards).
   */
  takenEmpty?: boolean;
}

let serial = 0;

export function encodeIterator(state: IteratorState): string {
  serial = (serial + 1) % 1_000_000_000;
  const payload = `${state.shardId}|${state.position}|${state.issuedAt}|${serial}${state.takenEmpty ? '|empty' : ''}`;
  return `${state.streamArn}|1|${Buffer.from(payload).toString('base64')}`;
}

export function decodeIterator(token: string): IteratorState | undefined {
  const cut = token.lastIndexOf('|1|');
  if (cut <= 0) return undefined;
  const parts = Buffer.from(token.slice(cut + 3), 'base64').toString('utf8').split('|');
  if (parts.length !== 4 && !(parts.length === 5 && parts[4] === 'empty')) return undefined;
  const [shardId, position, issuedAt] = parts as [string, string, string];
  if (!shardId.startsWith('shardId-') || !/^\d+$/.test(position) || !/^\d+$/.test(issuedAt)) return undefined;
  const state: IteratorState = { streamArn: token.slice(0, cut), shardId, position: Number(position), issuedAt: Number(issuedAt) };
  return parts.length === 5 ? { ...state, takenEmpty: true } : state;
}
