import { describe, expect, it } from 'vitest';
import { toLambdaRecord } from '../../src/records/lambda-record.js';
import { toNdjsonLine } from '../../src/render/ndjson.js';
import { groupSequence, scannedRecord, segmentOf, segmentShardId } from '../../src/scan/scan-record.js';

const ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Users/stream/2026-11-26T08:00:00.000';
const TIME = new Date('2026-11-26T12:00:00Z');
const item = { pk: { S: 'alice' }, sk: { S: 'profile' }, visits: { N: '42' } };
const context = { table: 'Users', streamArn: ARN, region: 'eu-west-1', keyNames: ['pk', 'sk'] };

describe('scannedRecord', () => {
  it('is a synthetic INSERT of the item, marked as scanned, with a sequence number of its own', () => {
    const record = scannedRecord(item, 3, 7n, TIME, { ...context, viewType: 'NEW_AND_OLD_IMAGES' });
    expect(record).toMatchObject({ eventName: 'INSERT', scan: true, keys: { pk: { S: 'alice' }, sk: { S: 'profile' } }, newImage: item, shardId: segmentShardId(3) });
    expect(record.sequenceNumber).toBe('000000000000000000007');
    expect(record.eventId).toBe('scan-000000000000000000007');
    expect(record.oldImage).toBeUndefined();
  });

  it('carries only the keys on a KEYS_ONLY stream', () => {
    const record = scannedRecord(item, 0, 1n, TIME, { ...context, viewType: 'KEYS_ONLY' });
    expect(record.newImage).toBeUndefined();
    expect(record.keys).toEqual({ pk: { S: 'alice' }, sk: { S: 'profile' } });
  });

  it('as an export line: "scan":true, no shard and no sequence number', () => {
    const line = JSON.parse(toNdjsonLine(scannedRecord(item, 0, 1n, TIME, { ...context, viewType: 'NEW_IMAGE' }))) as Record<string, unknown>;
    expect(line).toMatchObject({ table: 'Users', streamArn: ARN, eventName: 'INSERT', scan: true, time: '2026-11-26T12:00:00.000Z' });
    expect(line).not.toHaveProperty('shardId');
    expect(line).not.toHaveProperty('sequenceNumber');
    const noStream = JSON.parse(toNdjsonLine(scannedRecord(item, 0, 1n, TIME, { ...context, streamArn: '' }))) as Record<string, unknown>;
    expect(noStream).not.toHaveProperty('streamArn');
  });

  it('as a Lambda record: a scan- event id, the synthetic sequence number, the view type and the stream ARN', () => {
    const lambda = toLambdaRecord(scannedRecord(item, 0, 12n, TIME, { ...context, viewType: 'NEW_AND_OLD_IMAGES' }));
    expect(lambda).toMatchObject({
      eventID: 'scan-000000000000000000012', eventName: 'INSERT', eventSourceARN: ARN, awsRegion: 'eu-west-1',
      dynamodb: { SequenceNumber: '000000000000000000012', StreamViewType: 'NEW_AND_OLD_IMAGES', NewImage: { visits: { N: '42' } } },
    });
  });

  it('names segments as pseudo-shards and reads them back', () => {
    expect(segmentOf(segmentShardId(12))).toBe(12);
    expect(segmentOf('shardId-00000001795680000000-0a1b2c3d')).toBeUndefined();
  });
});

describe('groupSequence', () => {
  it('numbers the items of a shared scan apart by segment, increasing within each, as wide as DynamoDB\'s', () => {
    expect(groupSequence(0, 1)).toBe(1n);
    expect(groupSequence(3, 7)).toBe(3_000_000_000_000_000_007n);
    expect(groupSequence(3, 8)).toBeGreaterThan(groupSequence(3, 7));
    expect(groupSequence(2, 999_999_999)).toBeLessThan(groupSequence(3, 1));
    const record = scannedRecord(item, 999, groupSequence(999, 12), TIME, context);
    expect(record.sequenceNumber).toBe('999000000000000000012');
    expect(record.sequenceNumber).toHaveLength(21);
  });
});
