import type { StreamRecord } from '../../src/records/record.js';

/** A record as the reader yields it, with the fields a test does not care about filled in. */
export function record(overrides: Partial<StreamRecord> & Pick<StreamRecord, 'eventName'>): StreamRecord {
  return {
    streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Users/stream/2024-05-01T10:00:00.000',
    table: 'Users',
    shardId: 'shardId-00000001714557600000-3f9a1c2e',
    sequenceNumber: '000000000000000000101',
    eventId: 'e1',
    eventVersion: '1.1',
    awsRegion: 'eu-west-1',
    time: new Date('2024-05-01T10:00:05Z'),
    keys: { pk: { S: 'alice' }, sk: { S: 'profile' } },
    sizeBytes: 120,
    streamViewType: 'NEW_AND_OLD_IMAGES',
    ...overrides,
  };
}
