/**
 * How Lambda reads a handler's response when ReportBatchItemFailures is on: an empty or null
 * response, or an empty or null `batchItemFailures`, is full success; otherwise the lowest failed
 * sequence number marks where the retry starts. An entry whose `itemIdentifier` is missing, empty,
 * or not a sequence number of the batch fails the whole batch.
 */
export type BatchVerdict =
  | { kind: 'success' }
  /** Records before `index` are done; the batch is retried from `index`. */
  | { kind: 'partial'; index: number }
  | { kind: 'invalid'; reason: string };

export function judgeBatchResponse(response: unknown, sequenceNumbers: readonly string[]): BatchVerdict {
  if (response === null || response === undefined || typeof response !== 'object') return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  }
  if (failures.length === 0) return { kind: 'success' };
  const positions = new Map(sequenceNumbers.map((sequence, index) => [sequence, index]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const entry of failures) {
    const id = entry !== null && typeof entry === 'object' ? (entry as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'invalid', reason: 'a batchItemFailures entry has no itemIdentifier' };
    }
    const index = positions.get(id);
    if (index === undefined) {
      return { kind: 'invalid', reason: `itemIdentifier "${id}" is not a sequence number in the batch` };
    }
    lowest = Math.min(lowest, index);
  }
  return { kind: 'partial', index: lowest };
}
