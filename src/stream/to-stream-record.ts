import type { _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventName, StreamRecord, StreamViewType } from '../records/record.js';

/** The SDK's record (Date times, Uint8Array binary) to the internal record of one shard. */
export function toStreamRecord(raw: SdkRecord, shardId: string, streamArn: string, table: string): StreamRecord {
  const d = raw.dynamodb ?? {};
  const time = d.ApproximateCreationDateTime;
  return {
    streamArn,
    table,
    shardId,
    sequenceNumber: d.SequenceNumber ?? '0',
    eventId: raw.eventID ?? '',
    eventName: (raw.eventName ?? 'MODIFY') as EventName,
    eventVersion: raw.eventVersion ?? '1.1',
    awsRegion: raw.awsRegion ?? '',
    time: time instanceof Date ? time : new Date(typeof time === 'number' ? time * 1000 : Date.now()),
    keys: d.Keys ?? {},
    ...(d.OldImage ? { oldImage: d.OldImage } : {}),
    ...(d.NewImage ? { newImage: d.NewImage } : {}),
    ...(raw.userIdentity?.Type
      ? { userIdentity: { type: raw.userIdentity.Type, principalId: raw.userIdentity.PrincipalId ?? '' } }
      : {}),
    sizeBytes: d.SizeBytes ?? 0,
    ...(d.StreamViewType ? { streamViewType: d.StreamViewType as StreamViewType } : {}),
  };
}
