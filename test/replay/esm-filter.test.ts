import { describe, expect, it } from 'vitest';
import { compileFilterPatterns } from '../../src/records/filter-pattern.js';
import { buildRecordFilter, parseKeyCondition } from '../../src/records/record-filter.js';
import { filterCriteriaPatterns } from '../../src/replay/esm-filter.js';
import { UsageError } from '../../src/util/errors.js';

describe('filterCriteriaPatterns', () => {
  it('gives --filter patterns back as the very text they were', () => {
    const sources = ['{ "eventName": ["INSERT"] }', '{"dynamodb":{"NewImage":{"status":{"S":["active"]}}}}'];
    expect(filterCriteriaPatterns({ filter: sources })).toEqual(sources);
  });

  it('turns --event and --key into one pattern, and nothing for all three events', () => {
    expect(filterCriteriaPatterns({ event: ['insert,modify'], key: ['pk=o-1'] })).toEqual([
      '{"eventName":["INSERT","MODIFY"],"dynamodb":{"Keys":{"pk":{"S":["o-1"]}}}}',
    ]);
    expect(filterCriteriaPatterns({ event: ['INSERT,MODIFY,REMOVE'] })).toEqual([]);
  });

  it('folds --event/--key into each --filter pattern (ANDed), intersecting plain value lists', () => {
    expect(filterCriteriaPatterns({
      event: ['INSERT'],
      filter: ['{"eventName":["INSERT","REMOVE"]}', '{"dynamodb":{"NewImage":{"a":{"S":["x"]}}}}'],
    })).toEqual(['{"eventName":["INSERT"]}', '{"dynamodb":{"NewImage":{"a":{"S":["x"]}}},"eventName":["INSERT"]}']);
  });

  it('refuses what one pattern cannot say, naming the field', () => {
    expect(() => filterCriteriaPatterns({ event: ['INSERT'], filter: ['{"eventName":["REMOVE"]}'] }))
      .toThrow(/--filter #1 and --event\/--key can never both hold at eventName/);
    expect(() => filterCriteriaPatterns({ event: ['INSERT'], filter: ['{"eventName":[{"prefix":"IN"}]}'] }))
      .toThrow(UsageError);
  });

  it('selects in Lambda what the replay selects: a number key matches S "42" and N "42", not "43"', () => {
    const [pattern] = filterCriteriaPatterns({ key: ['id=042'], event: ['MODIFY'] });
    const lambda = compileFilterPatterns([pattern!]);
    const local = buildRecordFilter({ keys: [parseKeyCondition('id=042')], events: ['MODIFY'] });
    const record = (eventName: 'INSERT' | 'MODIFY', key: { S: string } | { N: string }) => ({
      eventID: '1', eventName, eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'eu-west-1',
      eventSourceARN: 'arn', dynamodb: { Keys: { id: key }, SequenceNumber: '1', SizeBytes: 1, StreamViewType: 'KEYS_ONLY', ApproximateCreationDateTime: 1 },
    });
    const cases = [record('MODIFY', { N: '42' }), record('MODIFY', { S: '042' }), record('MODIFY', { N: '43' }), record('INSERT', { N: '42' })];
    expect(cases.map((r) => lambda.matches(r))).toEqual([true, true, false, false]);
    expect(cases.map((r) => local.matchesLambda(r as never))).toEqual([true, true, false, false]);
  });
});
