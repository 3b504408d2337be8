import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/util/errors.js';
import { compileFilterPattern, compileFilterPatterns } from '../../src/records/filter-pattern.js';
import { toLambdaRecord } from '../../src/records/lambda-record.js';
import type { StreamRecord } from '../../src/records/record.js';

type Case = [description: string, pattern: string, event: unknown, expected: boolean];

function runCases(cases: Case[]): void {
  it.each(cases)('%s', (_description, pattern, event, expected) => {
    expect(compileFilterPattern(pattern).matches(event)).toBe(expected);
  });
}

// Cases from the Lambda Developer Guide, "Control which events Lambda sends to your function"
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html): the filter rule
// syntax table, its note on number representation, and the filtering examples.
describe('Lambda event filtering: filter rule syntax', () => {
  runCases([
    ['Null: UserID is null', '{"UserID": [null]}', { UserID: null }, true],
    ['Null: a string is not null', '{"UserID": [null]}', { UserID: 'u1' }, false],
    ['Null: an absent field is not null', '{"UserID": [null]}', {}, false],
    ['Empty: LastName is empty', '{"LastName": [""]}', { LastName: '' }, true],
    ['Empty: a non-empty string', '{"LastName": [""]}', { LastName: 'Doe' }, false],
    ['Equals: Name is "Alice"', '{"Name": ["Alice"]}', { Name: 'Alice' }, true],
    ['Equals: no case folding', '{"Name": ["Alice"]}', { Name: 'alice' }, false],
    ['And: both fields match', '{"Location": ["New York"], "Day": ["Monday"]}', { Location: 'New York', Day: 'Monday' }, true],
    ['And: one field differs', '{"Location": ["New York"], "Day": ["Monday"]}', { Location: 'New York', Day: 'Tuesday' }, false],
    ['And: one field missing', '{"Location": ["New York"], "Day": ["Monday"]}', { Location: 'New York' }, false],
    ['Or: Credit', '{"PaymentType": ["Credit", "Debit"]}', { PaymentType: 'Credit' }, true],
    ['Or: Debit', '{"PaymentType": ["Credit", "Debit"]}', { PaymentType: 'Debit' }, true],
    ['Or: Cash', '{"PaymentType": ["Credit", "Debit"]}', { PaymentType: 'Cash' }, false],
    ['Not: Weather is anything but Raining', '{"Weather": [{"anything-but": ["Raining"]}]}', { Weather: 'Sunny' }, true],
    ['Not: Raining', '{"Weather": [{"anything-but": ["Raining"]}]}', { Weather: 'Raining' }, false],
    ['Not: an absent field does not match', '{"Weather": [{"anything-but": ["Raining"]}]}', {}, false],
    ['Numeric (equals): Price is 100', '{"Price": [{"numeric": ["=", 100]}]}', { Price: 100 }, true],
    ['Numeric (equals): 101', '{"Price": [{"numeric": ["=", 100]}]}', { Price: 101 }, false],
    ['Numeric (equals): the string "100" is no number', '{"Price": [{"numeric": ["=", 100]}]}', { Price: '100' }, false],
    ['Numeric (range): 10 is not > 10', '{"Price": [{"numeric": [">", 10, "<=", 20]}]}', { Price: 10 }, false],
    ['Numeric (range): 10.5', '{"Price": [{"numeric": [">", 10, "<=", 20]}]}', { Price: 10.5 }, true],
    ['Numeric (range): 20 is <= 20', '{"Price": [{"numeric": [">", 10, "<=", 20]}]}', { Price: 20 }, true],
    ['Numeric (range): 20.1', '{"Price": [{"numeric": [">", 10, "<=", 20]}]}', { Price: 20.1 }, false],
    ['Exists: ProductName exists', '{"ProductName": [{"exists": true}]}', { ProductName: 'Widget' }, true],
    ['Exists: ProductName absent', '{"ProductName": [{"exists": true}]}', { Other: 1 }, false],
    ['Does not exist: absent', '{"ProductName": [{"exists": false}]}', { Other: 1 }, true],
    ['Does not exist: present', '{"ProductName": [{"exists": false}]}', { ProductName: 'Widget' }, false],
    ['Begins with: Region is in the US', '{"Region": [{"prefix": "us-"}]}', { Region: 'us-east-1' }, true],
    ['Begins with: eu-west-1', '{"Region": [{"prefix": "us-"}]}', { Region: 'eu-west-1' }, false],
    // "For numbers, Lambda also uses string representation. For example, 300, 300.0, and 3.0e2
    // are not considered equal."
    ['numbers compare as written: 300 = 300', '{"n": [300]}', { n: 300 }, true],
    ['numbers compare as written: 300.0 is not 300', '{"n": [300.0]}', { n: 300 }, false],
    ['numbers compare as written: 3.0e2 is not 300', '{"n": [3.0e2]}', { n: 300 }, false],
    ['a number never equals a string', '{"n": [300]}', { n: '300' }, false],
    ['a string never equals a number', '{"n": ["300"]}', { n: 300 }, false],
    // Console example: { "a" : [ 1, 2 ] } processes records where a is 1 or 2.
    ['console example: a is 1', '{ "a" : [ 1, 2 ] }', { a: 1 }, true],
    ['console example: a is 3', '{ "a" : [ 1, 2 ] }', { a: 3 }, false],
  ]);
});

describe('Lambda event filtering: filtering examples', () => {
  const kinesis = {
    partitionKey: '1',
    data: { City: 'Los Angeles', State: 'CA', Temperature: 55, Location: 'Los Angeles' },
  };
  runCases([
    ['metadata and data properties', '{"partitionKey": ["1"], "data": {"Location": ["Los Angeles"]}}', kinesis, true],
    ['metadata matches, data does not', '{"partitionKey": ["1"], "data": {"Location": ["Seattle"]}}', kinesis, false],
    ['Temperature > 50 and <= 60', '{"data": {"Temperature": [{"numeric": [">", 50, "<=", 60]}]}}', kinesis, true],
    ['Temperature > 60', '{"data": {"Temperature": [{"numeric": [">", 60]}]}}', kinesis, false],
  ]);

  // Multi-level filtering: "Suppose you only wanted to handle events where the Key ID value, N, is 101."
  const dynamodb = {
    dynamodb: {
      Keys: { Id: { N: '101' } },
      NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
      SequenceNumber: '111',
      SizeBytes: 26,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
  runCases([
    ['multi-level: Keys.Id.N is "101"', '{"dynamodb": {"Keys": {"Id": {"N": ["101"]}}}}', dynamodb, true],
    ['multi-level: Keys.Id.N is "102"', '{"dynamodb": {"Keys": {"Id": {"N": ["102"]}}}}', dynamodb, false],
    ['multi-level: wrong type key', '{"dynamodb": {"Keys": {"Id": {"S": ["101"]}}}}', dynamodb, false],
    ['SizeBytes is a JSON number: numeric applies', '{"dynamodb": {"SizeBytes": [{"numeric": ["<", 100]}]}}', dynamodb, true],
  ]);
});

// Cases from the Lambda Developer Guide, "Using event filtering with a DynamoDB event source"
// (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html).
describe('Lambda event filtering: DynamoDB event source', () => {
  const record = {
    eventID: '1',
    eventVersion: '1.0',
    dynamodb: {
      ApproximateCreationDateTime: 1678831218,
      Keys: { CustomerName: { S: 'AnyCompany Industries' } },
      NewImage: {
        AccountManager: { S: 'Pat Candella' },
        PaymentTerms: { S: '60 days' },
        CustomerName: { S: 'AnyCompany Industries' },
      },
      SequenceNumber: '111',
      SizeBytes: 26,
      StreamViewType: 'NEW_IMAGE',
    },
  };
  runCases([
    ['table keys: CustomerName', '{"dynamodb": {"Keys": {"CustomerName": {"S": ["AnyCompany Industries"]}}}}', record, true],
    ['table keys: another customer', '{"dynamodb": {"Keys": {"CustomerName": {"S": ["Example Corp"]}}}}', record, false],
    [
      'table attributes: AccountManager is Pat Candella or Shirley Rodriguez',
      '{"dynamodb": {"NewImage": {"AccountManager": {"S": ["Pat Candella", "Shirley Rodriguez"]}}}}',
      record,
      true,
    ],
    [
      'table attributes: OldImage is absent in a NEW_IMAGE stream',
      '{"dynamodb": {"OldImage": {"AccountManager": {"S": ["Pat Candella"]}}}}',
      record,
      false,
    ],
    [
      'Boolean expression: PaymentTerms and AccountManager (AND)',
      '{"dynamodb": {"NewImage": {"PaymentTerms": {"S": ["60 days"]}, "AccountManager": {"S": ["Pat Candella"]}}}}',
      record,
      true,
    ],
    [
      'Boolean expression: $or across two attributes',
      '{"dynamodb": {"NewImage": {"$or": [{"PaymentTerms": {"S": ["30 days"]}}, {"AccountManager": {"S": ["Pat Candella"]}}]}}}',
      record,
      true,
    ],
  ]);

  // "Using the Exists operator": exists only works on leaf nodes.
  const organizations = {
    dynamodb: {
      NewImage: {
        UserID: { S: '12345' },
        Name: { S: 'John Doe' },
        Organizations: { L: [{ S: 'Sales' }, { S: 'Marketing' }, { S: 'Support' }] },
      },
    },
  };
  runCases([
    ['exists on a non-leaf never matches', '{"dynamodb": {"NewImage": {"Organizations": [{"exists": true}]}}}', organizations, false],
    ['exists on the leaf matches', '{"dynamodb": {"NewImage": {"Organizations": {"L": {"S": [{"exists": true}]}}}}}', organizations, true],
    ['a value inside a list matches', '{"dynamodb": {"NewImage": {"Organizations": {"L": {"S": ["Marketing"]}}}}}', organizations, true],
    ['a value not in the list', '{"dynamodb": {"NewImage": {"Organizations": {"L": {"S": ["Legal"]}}}}}', organizations, false],
  ]);
});

// Cases from the DynamoDB Developer Guide, "Tutorial #2: Using filters to process some events
// with DynamoDB and Lambda" (Streams.Lambda.Tutorial2), including its note that numeric
// filtering does not apply to DynamoDB numbers, which the record holds as strings.
describe('DynamoDB tutorial: filters on a chocolate table', () => {
  const event = {
    eventID: 'c9fbe7d0261a5163fcb6940593e41797',
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-2',
    dynamodb: {
      ApproximateCreationDateTime: 1664559083,
      Keys: { SK: { S: 'PRODUCT#CHOCOLATE#DARK#1000' }, PK: { S: 'COMPANY#1000' } },
      NewImage: {
        quantity: { N: '50' },
        company_id: { S: '1000' },
        fabric: { S: 'Florida Chocolates' },
        price: { N: '15' },
        stores: { N: '5' },
        product_id: { S: '1000' },
        SK: { S: 'PRODUCT#CHOCOLATE#DARK#1000' },
        PK: { S: 'COMPANY#1000' },
        state: { S: 'FL' },
        type: { S: '' },
      },
      SequenceNumber: '700000000000888747038',
      SizeBytes: 174,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-2:111122223333:table/chocolate-table/stream/2022-09-30T17:05:53.209',
  };
  const image = (inner: string): string => `{"dynamodb": {"NewImage": ${inner}}}`;
  runCases([
    ['Empty: type is empty', image('{"type": {"S": [""]}}'), event, true],
    ['Equals: state is FL', image('{"state": {"S": ["FL"]}}'), event, true],
    ['And: state FL and fabric', image('{"state": {"S": ["FL"]}, "fabric": {"S": ["Florida Chocolates"]}}'), event, true],
    ['And: state FL and a missing category', image('{"state": {"S": ["FL"]}, "category": {"S": ["CHOCOLATE"]}}'), event, false],
    ['Or: state FL or CA', image('{"state": {"S": ["FL", "CA"]}}'), event, true],
    ['Not: state is not FL', image('{"state": {"S": [{"anything-but": ["FL"]}]}}'), event, false],
    ['Exists: homemade exists', image('{"homemade": {"S": [{"exists": true}]}}'), event, false],
    ['Does not exist: homemade', image('{"homemade": {"S": [{"exists": false}]}}'), event, true],
    ['Begins with: PK and SK prefixes', '{"dynamodb": {"Keys": {"PK": {"S": [{"prefix": "COMPANY"}]}, "SK": {"S": [{"prefix": "PRODUCT"}]}}}}', event, true],
    ['N values match as exact text', image('{"quantity": {"N": ["50"]}}'), event, true],
    ['N values are not normalised: 50.0 is not 50', image('{"quantity": {"N": ["50.0"]}}'), event, false],
    ['numeric does not apply to an N string', image('{"quantity": {"N": [{"numeric": [">", 10]}]}}'), event, false],
    ['a JSON number never equals an N string', image('{"quantity": {"N": [50]}}'), event, false],
    ['anything-but on an N string compares text', image('{"quantity": {"N": [{"anything-but": "51"}]}}'), event, true],
    ['metadata: eventName', '{"eventName": ["INSERT"]}', event, true],
    ['metadata and data: eventName MODIFY', '{"eventName": ["MODIFY"], "dynamodb": {"NewImage": {"state": {"S": ["FL"]}}}}', event, false],
    ['numeric on ApproximateCreationDateTime (a JSON number)', '{"dynamodb": {"ApproximateCreationDateTime": [{"numeric": [">", 0]}]}}', event, true],
  ]);
});

// Cases from the EventBridge User Guide, "Content filtering in Amazon EventBridge event patterns"
// and "Comparison operators for use in event patterns"
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html,
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html),
// which Lambda's filter syntax follows.
describe('EventBridge content filtering', () => {
  runCases([
    ['prefix on time', '{"time": [{"prefix": "2017-10-02"}]}', { time: '2017-10-02T18:43:48Z' }, true],
    ['prefix on another day', '{"time": [{"prefix": "2017-10-02"}]}', { time: '2017-10-03T18:43:48Z' }, false],
    ['prefix only works on strings', '{"n": [{"prefix": "1"}]}', { n: 12 }, false],
    ['prefix ignoring case', '{"service": [{"prefix": {"equals-ignore-case": "eventb"}}]}', { service: 'EventBridge' }, true],
    ['suffix', '{"FileName": [{"suffix": ".png"}]}', { FileName: 'image.png' }, true],
    ['suffix mismatch', '{"FileName": [{"suffix": ".png"}]}', { FileName: 'image.jpg' }, false],
    ['suffix ignoring case', '{"service": [{"suffix": {"equals-ignore-case": "tbridge"}}]}', { service: 'EventBRIDGE' }, true],
    ['equals-ignore-case', '{"name": [{"equals-ignore-case": "alice"}]}', { name: 'ALICE' }, true],
    ['equals-ignore-case mismatch', '{"name": [{"equals-ignore-case": "alice"}]}', { name: 'alicia' }, false],
    ['anything-but a string', '{"detail": {"state": [{"anything-but": "initializing"}]}}', { detail: { state: 'running' } }, true],
    ['anything-but the same string', '{"detail": {"state": [{"anything-but": "initializing"}]}}', { detail: { state: 'initializing' } }, false],
    ['anything-but a number', '{"detail": {"x-limit": [{"anything-but": 123}]}}', { detail: { 'x-limit': 124 } }, true],
    ['anything-but the same number', '{"detail": {"x-limit": [{"anything-but": 123}]}}', { detail: { 'x-limit': 123 } }, false],
    ['anything-but a list of strings', '{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}', { detail: { state: 'overloaded' } }, false],
    ['anything-but a list of numbers', '{"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}', { detail: { 'x-limit': 250 } }, true],
    ['anything-but a list of numbers, excluded', '{"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}', { detail: { 'x-limit': 200 } }, false],
    ['anything-but prefix', '{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}', { detail: { state: 'running' } }, true],
    ['anything-but prefix, excluded', '{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}', { detail: { state: 'initializing' } }, false],
    ['anything-but suffix', '{"FileName": [{"anything-but": {"suffix": ".png"}}]}', { FileName: 'a.png' }, false],
    ['anything-but ignoring case', '{"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}', { state: 'INITIALIZING' }, false],
    ['anything-but ignoring case, a list', '{"state": [{"anything-but": {"equals-ignore-case": ["a", "b"]}}]}', { state: 'C' }, true],
    ['exact value or an operator in one list', '{"state": ["stopped", {"prefix": "term"}]}', { state: 'terminated' }, true],
  ]);

  const ec2 = {
    source: 'aws.ec2',
    'detail-type': 'EC2 Instance State-change Notification',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
    detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, state: 'running' },
  };
  runCases([
    ['a list in the event matches when any element does', '{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"]}', ec2, true],
    ['numeric ranges on several fields', '{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}], "x-limit": [{"numeric": ["=", 3.018e2]}]}}', ec2, true],
    ['numeric upper bound excluded', '{"detail": {"c-count": [{"numeric": [">", 0, "<", 5]}]}}', ec2, false],
    ['numeric >= lower bound', '{"detail": {"c-count": [{"numeric": [">=", 5]}]}}', ec2, true],
    ['$or: source and (metricName or namespace)', '{"source": ["aws.ec2"], "$or": [{"metricName": ["CPUUtilization"]}, {"detail": {"state": ["running"]}}]}', ec2, true],
    ['$or: no alternative matches', '{"$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}', ec2, false],
    ['$or with an AND inside', '{"$or": [{"source": ["aws.s3"]}, {"source": ["aws.ec2"], "detail": {"state": ["running"]}}]}', ec2, true],
    ['exists: false on a non-leaf still matches', '{"detail": {"c-count": [{"exists": false}]}}', { detail: { 'c-count': { c1: 100 } } }, true],
    ['exists: true on null (present)', '{"detail": {"note": [{"exists": true}]}}', { detail: { note: null } }, true],
  ]);

  // AWS event-ruler README, "JSON Array Matching": fields inside one pattern must match inside
  // the same element of an array of objects.
  const employees = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };
  runCases([
    ['a field inside an array of objects', '{"employees": {"firstName": ["Anna"]}}', employees, true],
    ['two fields from two different elements', '{"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}', employees, false],
    ['two fields from one element', '{"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}', employees, true],
    ['nested arrays are crushed', '{"employees": {"firstName": ["Peter"]}}', { employees: [[{ firstName: 'John' }], [{ firstName: 'Peter' }]] }, true],
  ]);
});

describe('matching a StreamRecord as Lambda sees it', () => {
  const record: StreamRecord = {
    streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Users/stream/2024-05-01T10:00:00.000',
    table: 'Users',
    shardId: 'shardId-1',
    sequenceNumber: '4000000000000000000012345',
    eventId: 'e1',
    eventName: 'MODIFY',
    eventVersion: '1.1',
    awsRegion: 'eu-west-1',
    time: new Date('2024-05-01T10:15:30Z'),
    keys: { id: { S: 'u1' } },
    oldImage: { id: { S: 'u1' }, status: { S: 'pending' }, flags: { SS: ['beta'] }, active: { BOOL: false } },
    newImage: { id: { S: 'u1' }, status: { S: 'active' }, flags: { SS: ['beta', 'vip'] }, active: { BOOL: true } },
    sizeBytes: 120,
  };
  const lambda = toLambdaRecord(record);
  runCases([
    ['the example from the design', '{"eventName": ["MODIFY"], "dynamodb": {"NewImage": {"status": {"S": ["active"]}}}}', lambda, true],
    ['status changed from pending', '{"dynamodb": {"OldImage": {"status": {"S": ["pending"]}}, "NewImage": {"status": {"S": [{"anything-but": "pending"}]}}}}', lambda, true],
    ['a string set holds vip', '{"dynamodb": {"NewImage": {"flags": {"SS": ["vip"]}}}}', lambda, true],
    ['BOOL as a JSON boolean', '{"dynamodb": {"NewImage": {"active": {"BOOL": [true]}}}}', lambda, true],
    ['the stream ARN', '{"eventSourceARN": [{"suffix": "/stream/2024-05-01T10:00:00.000"}]}', lambda, true],
    ['no userIdentity on a user write', '{"userIdentity": {"type": [{"exists": false}]}}', lambda, true],
  ]);

  it('ORs several patterns', () => {
    const patterns = compileFilterPatterns(['{"eventName": ["INSERT"]}', '{"eventName": ["MODIFY"]}']);
    expect(patterns.matches(lambda)).toBe(true);
    expect(compileFilterPatterns(['{"eventName": ["INSERT"]}', '{"eventName": ["REMOVE"]}']).matches(lambda)).toBe(false);
  });
});

describe('invalid patterns are usage errors that say what and where', () => {
  it.each([
    ['{"eventName": ["MODIFY"}', '--filter #1: invalid JSON at column 24: expected \',\' or \']\' in a list, found \'}\''],
    ['{eventName: ["MODIFY"]}', '--filter #1: invalid JSON at column 2: expected a field name in double quotes, found \'e\' (strings and field names need double quotes; in a shell, wrap the whole pattern in single quotes)'],
    ["{'eventName': ['MODIFY']}", 'found \' where JSON needs a double quote'],
    ['{"a": ["x"]} extra', 'invalid JSON at column 14: unexpected \'e\' after the end of the pattern'],
    ['{"a": ["x"], "a": ["y"]}', 'invalid JSON at column 14: field "a" appears twice in the same object'],
    ['{\n  "a": [01]\n}', 'invalid JSON at line 2, column 9: "01" is not a JSON number'],
    ['{"a": ["x]}', 'a string is not closed'],
    ['', 'invalid JSON at column 1: the pattern ends early: expected a value'],
    ['["MODIFY"]', '--filter #1: a pattern is a JSON object such as {"eventName": ["MODIFY"]}, not a list'],
    ['{}', '--filter #1: the pattern {} names no field; leave --filter out to pass every record'],
    ['{"eventName": "MODIFY"}', '--filter #1 at eventName: rules must be in a list, e.g. "eventName": ["MODIFY"]'],
    ['{"eventName": []}', '--filter #1 at eventName: an empty list matches nothing'],
    ['{"dynamodb": {}}', '--filter #1 at dynamodb: {} names no field'],
    ['{"a": [["x"]]}', 'a rule list cannot contain another list'],
    [
      '{"dynamodb": {"NewImage": {"price": {"N": [{"numerik": [">", 1]}]}}}}',
      '--filter #1 at dynamodb.NewImage.price.N: "numerik" is not a filter operator (did you mean "numeric"? use prefix, suffix, equals-ignore-case, anything-but, numeric, exists)',
    ],
    ['{"a": [{"regex": "x.*"}]}', '"regex" is not a filter operator (use prefix, suffix'],
    ['{"a": [{"wildcard": "x*"}]}', '"wildcard" is an EventBridge operator that Lambda event filtering does not support'],
    ['{"a": [{"prefix": "x", "suffix": "y"}]}', 'an operator object has exactly one key'],
    ['{"a": [{"prefix": 1}]}', '"prefix" takes a string or {"equals-ignore-case": "text"}, not 1'],
    ['{"a": [{"suffix": {"anything-but": "x"}}]}', '"suffix" takes a string or {"equals-ignore-case": "text"}, not an object'],
    ['{"a": [{"equals-ignore-case": ["x"]}]}', '"equals-ignore-case" takes a string, not a list'],
    ['{"a": [{"exists": "yes"}]}', '"exists" takes true or false, not a string'],
    ['{"a": [{"numeric": [">", 0, "<"]}]}', '"numeric" takes one or two comparisons'],
    ['{"a": [{"numeric": ["!=", 5]}]}', '"numeric" comparisons are =, <, <=, >, >=; found "!="'],
    ['{"a": [{"numeric": [">", "5"]}]}', '"numeric" compares with a JSON number; found "5" after ">"'],
    ['{"a": [{"numeric": [">", 5, "<", 5]}]}', '"numeric" range is empty: nothing is > 5 and < 5'],
    ['{"a": [{"numeric": [">", 1, ">", 2]}]}', '"numeric" has two lower bounds'],
    ['{"a": [{"numeric": ["=", 1, "<", 2]}]}', '"numeric" with "=" takes no second comparison'],
    ['{"a": [{"anything-but": ["x", 1]}]}', '"anything-but" takes a string, a number, a list of only strings or only numbers'],
    ['{"a": [{"anything-but": {"numeric": [">", 1]}}]}', '"anything-but" takes a string'],
    ['{"$or": [{"a": ["x"]}]}', '--filter #1 at $or: $or needs a list of at least two patterns'],
    ['{"$or": [{"a": ["x"]}, "b"]}', '--filter #1 at $or[1]: each $or alternative is a non-empty pattern object, not a string'],
  ])('%s', (pattern, message) => {
    expect(() => compileFilterPattern(pattern)).toThrow(UsageError);
    expect(() => compileFilterPattern(pattern)).toThrow(message);
  });

  it('numbers the pattern among several', () => {
    expect(() => compileFilterPatterns(['{"a": ["x"]}', '{"a": [{"numerik": [">", 1]}]}'])).toThrow(
      '--filter #2 at a: "numerik" is not a filter operator',
    );
  });

  it('accepts at most five patterns, like Lambda', () => {
    const six = Array.from({ length: 6 }, (_, i) => `{"a": ["${i}"]}`);
    expect(() => compileFilterPatterns(six)).toThrow('--filter was given 6 times; Lambda accepts at most 5 patterns');
    expect(compileFilterPatterns(six.slice(0, 5)).patterns).toHaveLength(5);
  });
});

describe('notes for patterns that are valid but cannot do what they seem to', () => {
  const notesOf = (pattern: string): string[] => compileFilterPattern(pattern).notes;

  it('explains that numeric never matches a DynamoDB number', () => {
    expect(notesOf('{"dynamodb": {"NewImage": {"price": {"N": [{"numeric": [">", 10]}]}}}}')).toEqual([
      '--filter #1 at dynamodb.NewImage.price.N: numeric never matches a DynamoDB number: the record holds it as a string ("N": "50"), as in Lambda; match the exact text instead, e.g. "N": ["50"]',
    ]);
    expect(notesOf('{"dynamodb": {"NewImage": {"price": {"N": [50]}}}}')).toEqual([
      '--filter #1 at dynamodb.NewImage.price.N: 50 is a JSON number but DynamoDB numbers are strings here; write "N": ["50"]',
    ]);
  });

  it('explains rules put directly under an attribute instead of its type', () => {
    expect(notesOf('{"dynamodb": {"NewImage": {"status": ["active"]}}}')).toEqual([
      '--filter #1 at dynamodb.NewImage.status: an attribute\'s value is typed ({"S": "x"}), so a rule list directly under "status" never matches; put the rules under its type, e.g. "status": {"S": ["active"]}',
    ]);
    expect(notesOf('{"dynamodb": {"NewImage": {"status": [{"exists": false}]}}}')[0]).toContain('always matches');
  });

  it('points at fields a Lambda record does not have', () => {
    expect(notesOf('{"NewImage": {"status": {"S": ["active"]}}}')).toEqual([
      '--filter #1 at NewImage: a Lambda DynamoDB record has no top-level "NewImage", so this never matches; did you mean {"dynamodb": {"NewImage": ...}}?',
    ]);
    expect(notesOf('{"dynamodb": {"newImage": {"status": {"S": ["active"]}}}}')[0]).toContain('did you mean "NewImage"?');
    expect(notesOf('{"dynamodb": {"NewImage": {"status": {"s": ["active"]}}}}')[0]).toContain('"s" is not a DynamoDB type');
    expect(notesOf('{"eventName": ["modify"]}')).toEqual([
      '--filter #1 at eventName: eventName is INSERT, MODIFY or REMOVE; "modify" never matches',
    ]);
  });

  it('says nothing about well-formed DynamoDB patterns', () => {
    expect(notesOf('{"eventName": ["MODIFY"], "dynamodb": {"NewImage": {"status": {"S": ["active"]}, "tags": {"SS": ["a"]}, "profile": {"M": {"email": {"S": [{"suffix": "@example.com"}]}}}, "items": {"L": {"M": {"sku": {"S": ["x"]}}}}}}}')).toEqual([]);
    expect(compileFilterPatterns(['{"eventName": ["INSERT"]}', '{"dynamodb": {"SizeBytes": [{"numeric": [">", 100]}]}}']).notes).toEqual([]);
  });
});
