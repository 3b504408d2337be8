import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/util/errors.js';
import { compileFilterPatterns } from '../../src/records/filter-pattern.js';
import { toLambdaRecord } from '../../src/records/lambda-record.js';
import type { StreamRecord } from '../../src/records/record.js';
import {
  buildRecordFilter,
  canonicalDecimal,
  parseEventNames,
  parseKeyCondition,
  recordFilterFromOptions,
} from '../../src/records/record-filter.js';

function record(overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-05-01T00:00:00.000',
    table: 'Orders',
    shardId: 'shardId-1',
    sequenceNumber: '100000000000000000001',
    eventId: 'e1',
    eventName: 'MODIFY',
    eventVersion: '1.1',
    awsRegion: 'us-east-1',
    time: new Date('2024-05-01T10:00:00Z'),
    keys: { pk: { S: 'customer#7' }, sk: { N: '42' } },
    newImage: { pk: { S: 'customer#7' }, sk: { N: '42' }, status: { S: 'shipped' } },
    sizeBytes: 50,
    ...overrides,
  };
}

describe('parseEventNames', () => {
  it('accepts comma lists in any case, repeated, without repeats in the result', () => {
    expect(parseEventNames(['insert,Modify'])).toEqual(['INSERT', 'MODIFY']);
    expect(parseEventNames(['REMOVE', 'remove, insert'])).toEqual(['REMOVE', 'INSERT']);
    expect(parseEventNames([' modify , '])).toEqual(['MODIFY']);
  });

  it('rejects other words, naming the accepted ones', () => {
    expect(() => parseEventNames(['INSERT,UPDATE'])).toThrow(
      '--event "UPDATE" is not a stream event: use INSERT, MODIFY or REMOVE (comma-separated, any case); DynamoDB Streams calls it MODIFY',
    );
    expect(() => parseEventNames(['delete'])).toThrow('DynamoDB Streams calls it REMOVE');
    expect(() => parseEventNames(['everything'])).toThrow(UsageError);
    expect(() => parseEventNames([','])).toThrow('--event needs at least one of INSERT, MODIFY, REMOVE');
  });
});

describe('parseKeyCondition', () => {
  it('splits at the first =', () => {
    expect(parseKeyCondition('pk=customer#7')).toEqual({ attribute: 'pk', value: 'customer#7' });
    expect(parseKeyCondition('expr=a=b')).toEqual({ attribute: 'expr', value: 'a=b' });
    expect(parseKeyCondition('sk=42')).toEqual({ attribute: 'sk', value: '42', number: '42e0' });
  });

  it.each([
    ['pk', '--key "pk" needs the form attribute=value, e.g. --key id=42'],
    ['=x', '--key "=x" has no attribute name before "="'],
    ['pk=', '--key "pk=" has no value after "="'],
  ])('rejects %j', (text, message) => {
    expect(() => parseKeyCondition(text)).toThrow(UsageError);
    expect(() => parseKeyCondition(text)).toThrow(message);
  });
});

describe('canonicalDecimal', () => {
  it.each([
    ['42', '42e0'], ['42.0', '42e0'], ['4.2e1', '42e0'], ['+42', '42e0'], ['0042', '42e0'], ['4200', '42e2'],
    ['0.5', '5e-1'], ['.5', '5e-1'], ['-1.50', '-15e-1'], ['0', '0'], ['-0.0', '0'], ['0e10', '0'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678e0'],
  ])('%s -> %s', (text, expected) => {
    expect(canonicalDecimal(text)).toBe(expected);
  });

  it('tells numbers a double would confuse apart', () => {
    expect(canonicalDecimal('12345678901234567890123456789012345678')).not.toBe(
      canonicalDecimal('12345678901234567890123456789012345679'),
    );
  });

  it.each(['abc', '', '.', '1e', '0x10', '1,5'])('%j is no number', (text) => {
    expect(canonicalDecimal(text)).toBeUndefined();
  });
});

describe('buildRecordFilter', () => {
  it('passes everything and says so when nothing is filtered', () => {
    const filter = buildRecordFilter({});
    expect(filter.active).toBe(false);
    expect(filter.description).toBe('');
    expect(filter.matches(record())).toBe(true);
  });

  it('keeps the listed event names', () => {
    const filter = buildRecordFilter({ events: ['INSERT', 'REMOVE'] });
    expect(filter.matches(record({ eventName: 'INSERT' }))).toBe(true);
    expect(filter.matches(record({ eventName: 'MODIFY' }))).toBe(false);
    expect(filter.description).toBe('event=INSERT,REMOVE');
  });

  it('treats all three event names as no event filter', () => {
    expect(buildRecordFilter({ events: ['INSERT', 'MODIFY', 'REMOVE'] }).active).toBe(false);
  });

  it('compares a string key exactly', () => {
    const filter = buildRecordFilter({ keys: [parseKeyCondition('pk=customer#7')] });
    expect(filter.matches(record())).toBe(true);
    expect(filter.matches(record({ keys: { pk: { S: 'Customer#7' } } }))).toBe(false);
    expect(filter.matches(record({ keys: { other: { S: 'customer#7' } } }))).toBe(false);
  });

  it('compares a number key numerically, exactly beyond double precision', () => {
    const filter = buildRecordFilter({ keys: [parseKeyCondition('sk=42.0')] });
    expect(filter.matches(record())).toBe(true);
    expect(filter.matches(record({ keys: { pk: { S: 'x' }, sk: { N: '43' } } }))).toBe(false);
    const big = buildRecordFilter({ keys: [parseKeyCondition('id=12345678901234567890123456789012345678')] });
    expect(big.matches(record({ keys: { id: { N: '12345678901234567890123456789012345678' } } }))).toBe(true);
    expect(big.matches(record({ keys: { id: { N: '12345678901234567890123456789012345679' } } }))).toBe(false);
  });

  it('never matches a number key with a value that is no number', () => {
    expect(buildRecordFilter({ keys: [parseKeyCondition('sk=forty-two')] }).matches(record())).toBe(false);
  });

  it('compares a string key holding digits as text', () => {
    const filter = buildRecordFilter({ keys: [parseKeyCondition('pk=007')] });
    expect(filter.matches(record({ keys: { pk: { S: '007' } } }))).toBe(true);
    expect(filter.matches(record({ keys: { pk: { S: '7' } } }))).toBe(false);
  });

  it('compares a binary key with its base64 text', () => {
    const filter = buildRecordFilter({ keys: [parseKeyCondition('bin=AQID')] });
    expect(filter.matches(record({ keys: { bin: { B: new Uint8Array([1, 2, 3]) } } }))).toBe(true);
    expect(filter.matches(record({ keys: { bin: { B: new Uint8Array([1, 2]) } } }))).toBe(false);
  });

  it('ANDs --key conditions and rejects two that cannot both hold', () => {
    const filter = buildRecordFilter({ keys: [parseKeyCondition('pk=customer#7'), parseKeyCondition('sk=42')] });
    expect(filter.matches(record())).toBe(true);
    expect(filter.matches(record({ keys: { pk: { S: 'customer#7' }, sk: { N: '41' } } }))).toBe(false);
    expect(filter.description).toBe('pk=customer#7 · sk=42');
    expect(() => buildRecordFilter({ keys: [parseKeyCondition('pk=a'), parseKeyCondition('pk=b')] })).toThrow(
      '--key pk=a and --key pk=b cannot both hold (--key conditions are ANDed); for either, use --filter',
    );
    expect(buildRecordFilter({ keys: [parseKeyCondition('sk=42'), parseKeyCondition('sk=42.0')] }).matches(record())).toBe(true);
  });

  it('ORs --filter patterns, matched on the Lambda shape of the record', () => {
    const filter = buildRecordFilter({
      patterns: compileFilterPatterns([
        '{"dynamodb": {"NewImage": {"status": {"S": ["delivered"]}}}}',
        '{"eventName": ["MODIFY"], "dynamodb": {"NewImage": {"status": {"S": ["shipped"]}}}}',
      ]),
    });
    expect(filter.matches(record())).toBe(true);
    expect(filter.matches(record({ newImage: { status: { S: 'pending' } } }))).toBe(false);
    expect(filter.description).toBe('2 filter patterns');
  });

  it('combines all three, every part required', () => {
    const filter = recordFilterFromOptions({
      event: ['modify'],
      key: ['pk=customer#7'],
      filter: ['{"dynamodb": {"NewImage": {"status": {"S": [{"prefix": "ship"}]}}}}'],
    });
    expect(filter.description).toBe('event=MODIFY · pk=customer#7 · 1 filter pattern');
    expect(filter.matches(record())).toBe(true);
    expect(filter.matches(record({ eventName: 'INSERT' }))).toBe(false);
    expect(filter.matches(record({ keys: { pk: { S: 'customer#8' } } }))).toBe(false);
    expect(filter.matches(record({ newImage: { status: { S: 'pending' } } }))).toBe(false);
  });

  it('passes on the pattern notes', () => {
    const filter = recordFilterFromOptions({ filter: ['{"dynamodb": {"NewImage": {"total": {"N": [{"numeric": [">", 10]}]}}}}'] });
    expect(filter.notes).toHaveLength(1);
    expect(filter.notes[0]).toContain('numeric never matches a DynamoDB number');
  });

  it('does not build the Lambda shape unless a --filter needs it', () => {
    // Building the Lambda shape reads the images; the cheap filters never touch them.
    const odd = record({});
    Object.defineProperty(odd, 'newImage', {
      enumerable: true,
      get: () => {
        throw new Error('the image was read');
      },
    });
    expect(buildRecordFilter({ events: ['MODIFY'], keys: [parseKeyCondition('sk=42')] }).matches(odd)).toBe(true);
    expect(() => recordFilterFromOptions({ filter: ['{"eventName": ["MODIFY"]}'] }).matches(odd)).toThrow();
  });

  it('builds nothing when no option was given', () => {
    expect(recordFilterFromOptions({ event: [], key: [], filter: [] }).active).toBe(false);
  });
});

describe('matchesLambda (records already in the Lambda shape)', () => {
  const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
  const records = [
    record(),
    record({ eventName: 'INSERT' }),
    record({ keys: { pk: { S: 'customer#8' }, sk: { N: '42.0' } } }),
    record({ keys: { pk: { S: 'customer#7' }, sk: { N: '4.2e1' } } }),
    record({ keys: { pk: { S: 'customer#7' } } }),
    record({ keys: { pk: { S: 'customer' }, sk: { S: '42' } } }),
    record({ keys: { pk: { B: bytes }, sk: { N: '42' } } }),
    record({ newImage: { pk: { S: 'customer#7' }, status: { S: 'pending' } } }),
  ];
  const filters = [
    buildRecordFilter({}),
    buildRecordFilter({ events: ['MODIFY'] }),
    buildRecordFilter({ keys: [parseKeyCondition('sk=42')] }),
    buildRecordFilter({ keys: [parseKeyCondition('pk=customer#7'), parseKeyCondition('sk=42')] }),
    buildRecordFilter({ keys: [parseKeyCondition(`pk=${Buffer.from(bytes).toString('base64')}`)] }),
    buildRecordFilter({ keys: [parseKeyCondition('pk=customer')] }),
    recordFilterFromOptions({ filter: ['{"dynamodb": {"NewImage": {"status": {"S": [{"prefix": "ship"}]}}}}'] }),
    recordFilterFromOptions({ event: ['modify'], key: ['sk=42'], filter: ['{"dynamodb": {"Keys": {"pk": {"S": ["customer#7"]}}}}'] }),
  ];

  it.each(filters.map((filter, i) => [i + 1, filter] as const))('filter %i gives the answer matches gives for the same record', (_n, filter) => {
    const expected = records.map((r) => filter.matches(r));
    expect(records.map((r) => filter.matchesLambda(toLambdaRecord(r)))).toEqual(expected);
  });

  it('each condition both keeps and drops some of the records (the comparison above means something)', () => {
    for (const filter of filters.slice(1)) {
      const answers = records.map((r) => filter.matchesLambda(toLambdaRecord(r)));
      expect(answers).toContain(true);
      expect(answers).toContain(false);
    }
  });
});
