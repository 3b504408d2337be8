import { describe, expect, it } from 'vitest';
import { lintPattern } from '../../src/records/filter-pattern-lint.js';
import { parsePatternJson } from '../../src/records/pattern-json.js';

// The lint pass reads the parsed pattern only: no compiled matcher is involved.
function lint(pattern: string, label = '--filter #2'): string[] {
  const json = parsePatternJson(pattern);
  if (json.type !== 'object') throw new Error(`test pattern is not an object: ${pattern}`);
  return lintPattern(json, label);
}

describe('lintPattern', () => {
  it('prefixes each note with the label and the dotted path of the field', () => {
    expect(lint('{"dynamodb": {"NewImage": {"price": {"N": [50]}}}}', '--filter #4')).toEqual([
      '--filter #4 at dynamodb.NewImage.price.N: 50 is a JSON number but DynamoDB numbers are strings here; write "N": ["50"]',
    ]);
  });

  it('keeps a JSON number as written when it quotes it back', () => {
    expect(lint('{"dynamodb": {"Keys": {"pk": {"NS": [1.50]}}}}')).toEqual([
      '--filter #2 at dynamodb.Keys.pk.NS: 1.50 is a JSON number but DynamoDB numbers are strings here; write "N": ["1.50"]',
    ]);
  });

  it('gives both number notes for one rule list, numeric first', () => {
    expect(lint('{"dynamodb": {"OldImage": {"n": {"N": [5, {"numeric": [">", 1]}]}}}}')).toEqual([
      '--filter #2 at dynamodb.OldImage.n.N: numeric never matches a DynamoDB number: the record holds it as a string ("N": "50"), as in Lambda; match the exact text instead, e.g. "N": ["50"]',
      '--filter #2 at dynamodb.OldImage.n.N: 5 is a JSON number but DynamoDB numbers are strings here; write "N": ["5"]',
    ]);
  });

  it('quotes the whole rule list when rules sit directly under an attribute', () => {
    expect(lint('{"dynamodb": {"Keys": {"pk": ["a", 1.0, null, {"prefix": "x"}]}}}')).toEqual([
      '--filter #2 at dynamodb.Keys.pk: an attribute\'s value is typed ({"S": "x"}), so a rule list directly under "pk" never matches; ' +
        'put the rules under its type, e.g. "pk": {"S": ["a", 1.0, null, {"prefix": "x"}]}',
    ]);
  });

  it('says a rule list with exists:false directly under an attribute always matches', () => {
    expect(lint('{"dynamodb": {"NewImage": {"gone": ["x", {"exists": false}]}}}')[0]).toContain('so a rule list directly under "gone" always matches');
    expect(lint('{"dynamodb": {"NewImage": {"here": [{"exists": true}]}}}')[0]).toContain('so a rule list directly under "here" never matches');
  });

  it('notes a nested pattern under a scalar DynamoDB type, not under M or L', () => {
    expect(lint('{"dynamodb": {"NewImage": {"s": {"S": {"a": ["b"]}}}}}')).toEqual([
      '--filter #2 at dynamodb.NewImage.s.S: a DynamoDB S value is not an object, so a nested pattern under it never matches',
    ]);
    expect(lint('{"dynamodb": {"NewImage": {"m": {"M": {"a": {"S": ["b"]}}}, "l": {"L": {"S": ["c"]}}}}}')).toEqual([]);
  });

  it('follows maps and lists down to the attributes inside them', () => {
    // Inside M the names are attributes again; inside L the values are typed again.
    expect(lint('{"dynamodb": {"NewImage": {"m": {"M": {"inner": ["x"]}}, "l": {"L": {"Q": ["y"]}}}}}')).toEqual([
      '--filter #2 at dynamodb.NewImage.m.M.inner: an attribute\'s value is typed ({"S": "x"}), so a rule list directly under "inner" never matches; put the rules under its type, e.g. "inner": {"S": ["x"]}',
      '--filter #2 at dynamodb.NewImage.l.L.Q: "Q" is not a DynamoDB type (S, N, B, BOOL, NULL, SS, NS, BS, M, L), so this never matches',
    ]);
  });

  it('lints each $or alternative at the path of the object it describes', () => {
    expect(lint('{"dynamodb": {"$or": [{"Keys": {"a": {"S": ["x"]}}}, {"Kyes": {"a": {"S": ["y"]}}}]}}')).toEqual([
      '--filter #2 at dynamodb.Kyes: "dynamodb" has no "Kyes" (it has ApproximateCreationDateTime, Keys, NewImage, OldImage, SequenceNumber, SizeBytes, StreamViewType), so this never matches; did you mean "Keys"?',
    ]);
  });

  it('suggests a dynamodb field only when one is close', () => {
    expect(lint('{"dynamodb": {"sizebytes": [1]}}')[0]).toContain('; did you mean "SizeBytes"?');
    expect(lint('{"dynamodb": {"Payload": [1]}}')[0]).toMatch(/so this never matches$/);
  });

  it('says where a top-level field that belongs under dynamodb goes', () => {
    expect(lint('{"Keys": {"pk": {"S": ["a"]}}, "colour": ["red"]}')).toEqual([
      '--filter #2 at Keys: a Lambda DynamoDB record has no top-level "Keys", so this never matches; did you mean {"dynamodb": {"Keys": ...}}?',
      '--filter #2 at colour: a Lambda DynamoDB record has no top-level "colour", so this never matches',
    ]);
  });

  it('notes each event name that is not one, and only string ones', () => {
    expect(lint('{"eventName": ["INSERT", "PUT", "remove", 3]}')).toEqual([
      '--filter #2 at eventName: eventName is INSERT, MODIFY or REMOVE; "PUT" never matches',
      '--filter #2 at eventName: eventName is INSERT, MODIFY or REMOVE; "remove" never matches',
    ]);
    expect(lint('{"eventName": ["INSERT", "MODIFY", "REMOVE"]}')).toEqual([]);
  });

  it('says nothing below fields the record shape does not describe', () => {
    expect(lint('{"userIdentity": {"type": ["Service"], "principalId": [{"prefix": "dynamodb"}]}}')).toEqual([]);
    expect(lint('{"dynamodb": {"StreamViewType": ["NEW_IMAGE"], "SizeBytes": [{"numeric": [">", 10]}]}}')).toEqual([]);
  });
});
