import { imageToExactJson } from '../records/exact-json.js';
import { QuotedStrings } from '../util/quoted-strings.js';
import { toLambdaRecord } from '../records/lambda-record.js';
import type { StreamRecord } from '../records/record.js';
import { unknownPaths, type UndecodableCount, type UnknownTally } from '../records/attribute-kind.js';

/**
 * The default export/tail line: one JSON object, unmarshalled with exact types, keys in a fixed
 * order (table, streamArn, shardId, sequenceNumber, eventId, eventName, time, keys, oldImage,
 * newImage, userIdentity, sizeBytes, then `extra`). Absent images and userIdentity are omitted.
 * `extra` values are JSON texts written as they are (the export command adds `diff`).
 * A record holding values of a type ddbstream does not know has them as they came, and ends in
 * `"undecodable": [paths]` (`jq 'select(.undecodable)'` finds it); `affected` counts such records.
 * No trailing newline.
 */
export function toNdjsonLine(record: StreamRecord, extra?: Record<string, string>, affected?: UndecodableCount): string {
  const unknown: UnknownTally = { values: 0 };
  let line = record.scan ? scannedHead(record) :
    '{"table":' + quotedNames.quote(record.table) +
    ',"streamArn":' + quotedNames.quote(record.streamArn) +
    ',"shardId":' + quotedNames.quote(record.shardId) +
    ',"sequenceNumber":' + JSON.stringify(record.sequenceNumber) +
    ',"eventId":' + JSON.stringify(record.eventId) +
    ',"eventName":' + quotedNames.quote(record.eventName);
  line += ',"time":' + isoTime(record.time) + ',"keys":' + imageToExactJson(record.keys, unknown);
  if (record.oldImage) line += ',"oldImage":' + imageToExactJson(record.oldImage, unknown);
  if (record.newImage) line += ',"newImage":' + imageToExactJson(record.newImage, unknown);
  if (record.userIdentity) {
    line += ',"userIdentity":{"type":' + JSON.stringify(record.userIdentity.type) +
      ',"principalId":' + JSON.stringify(record.userIdentity.principalId) + '}';
  }
  line += ',"sizeBytes":' + (Number.isFinite(record.sizeBytes) ? String(record.sizeBytes) : 'null');
  if (extra) {
    for (const name in extra) {
      const json = extra[name];
      if (json !== undefined) line += ',' + JSON.stringify(name) + ':' + json;
    }
  }
  if (unknown.values > 0) {
    line += ',"undecodable":' + JSON.stringify(unknownPaths(record));
    if (affected) affected.records++;
  }
  return line + '}';
}

/**
 * A table item read by `--scan`: a synthetic INSERT marked `"scan":true`, with no shard and no
 * sequence number (they are not the stream's), and no stream ARN for a table without a stream.
 */
function scannedHead(record: StreamRecord): string {
  return '{"table":' + quotedNames.quote(record.table) +
    (record.streamArn ? ',"streamArn":' + quotedNames.quote(record.streamArn) : '') +
    ',"eventId":' + JSON.stringify(record.eventId) +
    ',"eventName":' + quotedNames.quote(record.eventName) +
    ',"scan":true';
}

/**
 * The `--raw` line: the record exactly as a Lambda function receives it. A value of a type
 * ddbstream does not know is kept as it came, and the record ends in `"undecodable": [paths]`,
 * counted in `affected`. No trailing newline.
 */
export function toRawLine(record: StreamRecord, affected?: UndecodableCount): string {
  const unknown: UnknownTally = { values: 0 };
  const lambda = toLambdaRecord(record, unknown);
  if (unknown.values === 0) return JSON.stringify(lambda);
  if (affected) affected.records++;
  return JSON.stringify({ ...lambda, undecodable: unknownPaths(record) });
}

// Table, stream ARN, shard id and event name repeat on every line of a run.
const quotedNames = new QuotedStrings(1024);

// The records of a page mostly share their second (DynamoDB's times have second precision):
// write each time once rather than once a record.
let lastTimeMs = Number.NaN;
let lastTimeJson = 'null';

function isoTime(time: Date): string {
  const ms = time.getTime();
  if (ms === lastTimeMs) return lastTimeJson;
  if (Number.isNaN(ms)) return 'null';
  lastTimeMs = ms;
  lastTimeJson = '"' + time.toISOString() + '"';
  return lastTimeJson;
}
