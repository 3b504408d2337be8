import { describe, expect, it } from 'vitest';
import { toNdjsonLine, toRawLine } from '../../src/render/ndjson.js';
import { fromLambdaRecord, type LambdaStreamRecord } from '../../src/records/lambda-record.js';
import type { StreamRecord } from '../../src/records/record.js';

const ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Users/stream/2024-05-01T10:00:00.000';

function modify(overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    streamArn: ARN,
    table: 'Users',
    shardId: 'shardId-00000001714557600000-abcdef12',
    sequenceNumber: '4000000000000000000012345678901234567',
    eventId: '7de3041dd709b024af6f29e4fa13d34c',
    eventName: 'MODIFY',
    eventVersion: '1.1',
    awsRegion: 'eu-west-1',
    time: new Date('2024-05-01T10:15:30.000Z'),
    keys: { id: { S: 'u1' } },
    oldImage: { id: { S: 'u1' }, balance: { N: '10' } },
    newImage: { id: { S: 'u1' }, balance: { N: '12345678901234567890123456789012345678' }, tags: { SS: ['a'] } },
    sizeBytes: 87,
    streamViewType: 'NEW_AND_OLD_IMAGES',
    ...overrides,
  };
}

describe('toNdjsonLine', () => {
  it('writes the documented keys in order, with exact numbers', () => {
    expect(toNdjsonLine(modify())).toBe(
      '{"table":"Users","streamArn":"' + ARN + '","shardId":"shardId-00000001714557600000-abcdef12",' +
        '"sequenceNumber":"4000000000000000000012345678901234567","eventId":"7de3041dd709b024af6f29e4fa13d34c",' +
        '"eventName":"MODIFY","time":"2024-05-01T10:15:30.000Z","keys":{"id":"u1"},' +
        '"oldImage":{"id":"u1","balance":10},' +
        '"newImage":{"id":"u1","balance":12345678901234567890123456789012345678,"tags":["a"]},' +
        '"sizeBytes":87}',
    );
  });

  it('leaves out absent images, as for an INSERT or a KEYS_ONLY stream', () => {
    const insert = JSON.parse(toNdjsonLine(modify({ eventName: 'INSERT', oldImage: undefined }))) as object;
    expect(Object.keys(insert)).toEqual([
      'table', 'streamArn', 'shardId', 'sequenceNumber', 'eventId', 'eventName', 'time', 'keys', 'newImage', 'sizeBytes',
    ]);
    const keysOnly = JSON.parse(toNdjsonLine(modify({ oldImage: undefined, newImage: undefined }))) as object;
    expect(keysOnly).not.toHaveProperty('oldImage');
    expect(keysOnly).not.toHaveProperty('newImage');
  });

  it('writes userIdentity for TTL deletes, before sizeBytes', () => {
    const ttl = modify({
      eventName: 'REMOVE',
      newImage: undefined,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    });
    const line = toNdjsonLine(ttl);
    expect(line).toContain(',"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"},"sizeBytes":87}');
  });

  it('appends pre-serialized extras last, in the order given', () => {
    const line = toNdjsonLine(modify(), { diff: '[{"path":"balance","op":"change","from":10,"to":11}]', note: '"x"' });
    expect(line.endsWith(',"sizeBytes":87,"diff":[{"path":"balance","op":"change","from":10,"to":11}],"note":"x"}')).toBe(true);
    expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('is one line of valid JSON even with newlines inside values', () => {
    const line = toNdjsonLine(modify({ newImage: { id: { S: 'u1' }, bio: { S: 'line one\nline two' } } }));
    expect(line).not.toContain('\n');
    expect((JSON.parse(line) as { newImage: { bio: string } }).newImage.bio).toBe('line one\nline two');
  });

  it('works for jq-style access to nested values', () => {
    const line = toNdjsonLine(modify({ newImage: { id: { S: 'u1' }, profile: { M: { email: { S: 'a@b.c' } } } } }));
    const parsed = JSON.parse(line) as { eventName: string; newImage: { profile: { email: string } } };
    expect(parsed.eventName).toBe('MODIFY');
    expect(parsed.newImage.profile.email).toBe('a@b.c');
  });
});

describe('toRawLine', () => {
  it('writes the Lambda record, which reads back to the same record', () => {
    const record = modify({ newImage: { id: { S: 'u1' }, blob: { B: new Uint8Array([1, 2, 3]) } } });
    const raw = JSON.parse(toRawLine(record)) as LambdaStreamRecord;
    expect(raw.eventSourceARN).toBe(ARN);
    expect(raw.eventSource).toBe('aws:dynamodb');
    expect(raw.dynamodb.ApproximateCreationDateTime).toBe(1714558530);
    expect(raw.dynamodb.NewImage?.blob).toEqual({ B: 'AQID' });
    expect(raw.dynamodb.SequenceNumber).toBe(record.sequenceNumber);
    expect(fromLambdaRecord(raw, record.shardId)).toEqual(record);
  });
});
