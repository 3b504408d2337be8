import type { _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventName, StreamRecord, StreamViewType } from '../records/record.js';

/** The SDK's record (Date times, Uint8Array binary) to the internal record of one shard. */
export function toStreamRecord(raw: SdkRecord, shardId: string, streamArn: string, table: string): StreamRecord {
  const d = raw.dynamodb ?? {};
  const time = d.ApproximateCreationDateTime;
  const record: StreamRecord = {
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
    sizeBytes: d.SizeBytes ?? 0,
  };
  // Set one by one rather than spread from conditional literals: this runs for every record
  // read, and each spread built a throwaway object.
  if (d.OldImage) record.oldImage = d.OldImage;
  if (d.NewImage) record.newImage = d.NewImage;
  if (raw.userIdentity?.Type) record.userIdentity = { type: raw.userIdentity.Type, principalId: raw.userIdentity.PrincipalId ?? '' };
  if (d.StreamViewType) record.streamViewType = d.StreamViewType as StreamViewType;
  return record;
}
