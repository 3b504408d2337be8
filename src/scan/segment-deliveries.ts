/**
 * The pages of a shared scan on their way to the consumer (`--scan --group`), per segment, each
 * with the position its segment reaches once every record of it is delivered. The consumer's
 * marks come back per segment in order, each naming the last synthetic sequence number
 * delivered: the segment's position moves past every page that mark covers whole, and no
 * further, so a worker that dies leaves the rest to whoever takes the segment next.
 */
export class SegmentDeliveries {
  private readonly pending = new Map<number, { lastSequence: bigint; position: string }[]>();

  /** A page went to the consumer: its last record's sequence number, and where the segment stands once it is delivered. */
  handed(segment: number, lastSequence: bigint, position: string): void {
    const list = this.pending.get(segment) ?? [];
    list.push({ lastSequence, position });
    this.pending.set(segment, list);
  }

  /** The segment's records up to `through` are delivered: the position now reached, if a page was passed whole. */
  delivered(segment: number, through: string): string | undefined {
    const list = this.pending.get(segment);
    if (!list) return undefined;
    const upTo = BigInt(through);
    let position: string | undefined;
    let passed = 0;
    while (passed < list.length && list[passed]!.lastSequence <= upTo) position = list[passed++]!.position;
    list.splice(0, passed);
    if (!list.length) this.pending.delete(segment);
    return position;
  }

  /** The segment's whole is delivered: nothing of it is on the way any more. */
  finished(segment: number): void {
    this.pending.delete(segment);
  }

  /**
   * Where the last page handed on leaves the segment, while pages of it are still on their way.
   * A worker that reads the segment again (its lease lapsed for a moment and came back)
   * continues there: the consumer still delivers those pages, in order, before the new ones.
   */
  inFlight(segment: number): string | undefined {
    return this.pending.get(segment)?.at(-1)?.position;
  }
}
