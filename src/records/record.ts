import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';

/** An item image as DynamoDB Streams sends it (SDK v3 form: binary values are Uint8Array). */
export type AttributeMap = Record<string, AttributeValue>;

/** The three events a DynamoDB stream record can carry, in the order DynamoDB documents them. */
export const EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/** True for a value that is one of the stream's event names, spelled exactly (upper case). */
export function isEventName(value: unknown): value is EventName {
  return (EVENT_NAMES as readonly unknown[]).includes(value);
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/**
 * The one internal record type. Images stay marshalled (exact: numbers are the digit strings
 * DynamoDB sent); renderers decide how to present them.
 */
export interface StreamRecord {
  streamArn: string;
  table: string;
  shardId: string;
  /** 21–40 digit string; compare with `compareSequenceNumbers`, never as a JS number. */
  sequenceNumber: string;
  eventId: string;
  eventName: EventName;
  eventVersion: string;
  awsRegion: string;
  /** DynamoDB's ApproximateCreationDateTime (second precision on the wire). */
  time: Date;
  keys: AttributeMap;
  oldImage?: AttributeMap;
  newImage?: AttributeMap;
  /** Present for TTL expiry deletes: `{type: "Service", principalId: "dynamodb.amazonaws.com"}`. */
  userIdentity?: { type: string; principalId: string };
  sizeBytes: number;
  streamViewType?: StreamViewType;
  /**
   * A table item read by `--scan`, delivered as a synthetic INSERT before the stream: it belongs
   * to no shard of the stream and its sequence number is ddbstream's own.
   */
  scan?: true;
}

export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when the service (TTL) deleted the item rather than a user. */
export function isTtlDelete(record: StreamRecord): boolean {
  return record.eventName === 'REMOVE' && record.userIdentity?.type === 'Service' &&
    record.userIdentity.principalId === 'dynamodb.amazonaws.com';
}
