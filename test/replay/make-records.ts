import type { LambdaStreamRecord } from '../../src/records/lambda-record.js';
import type { ReplayPage } from '../../src/replay/engine-types.js';

export const STREAM_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024-05-01T10:00:00.000';

/** A record of item `pk` with sequence number `seq` (small numbers are padded to a real length). */
export function makeRecord(seq: number | string, pk = `item-${seq}`, options: { time?: number; extra?: string } = {}): LambdaStreamRecord {
  const sequenceNumber = typeof seq === 'number' ? String(100000000000000000000n + BigInt(seq)) : seq;
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      ApproximateCreationDateTime: options.time ?? Math.floor(Date.now() / 1000),
      Keys: { pk: { S: pk } },
      NewImage: { pk: { S: pk }, ...(options.extra ? { blob: { S: options.extra } } : {}) },
      SequenceNumber: sequenceNumber,
      SizeBytes: 20,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: STREAM_ARN,
  };
}

export function seqOf(n: number): string {
  return String(100000000000000000000n + BigInt(n));
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export async function* pages(...list: ReplayPage[]): AsyncGenerator<ReplayPage> {
  for (const page of list) yield page;
}

export function page(shardId: string, records: LambdaStreamRecord[], end = false): ReplayPage {
  return { shardId, records, end };
}
