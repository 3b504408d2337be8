import { imageToExactJson } from '../records/exact-json.js';
import { toLambdaRecord } from '../records/lambda-record.js';
import type { StreamRecord } from '../records/record.js';

/**
 * The default export/tail line: one JSON object, unmarshalled with exact types, keys in a fixed
 * order (table, streamArn, shardId, sequenceNumber, eventId, eventName, time, keys, oldImage,
 * newImage, userIdentity, sizeBytes, then `extra`). Absent images and userIdentity are omitted.
 * `extra` values are JSON texts written as they are (the export command adds `diff`).
 * No trailing newline.
 */
export function toNdjsonLine(record: StreamRecord, extra?: Record<string, string>): string {
  let line = record.scan ? scannedHead(record) :
    '{"table":' + quotedRepeating(record.table) +
    ',"streamArn":' + quotedRepeating(record.streamArn) +
    ',"shardId":' + quotedRepeating(record.shardId) +
    ',"sequenceNumber":' + JSON.stringify(record.sequenceNumber) +
    ',"eventId":' + JSON.stringify(record.eventId) +
    ',"eventName":' + quotedRepeating(record.eventName);
  line += ',"time":' + isoTime(record.time) + ',"keys":' + imageToExactJson(record.keys);
  if (record.oldImage) line += ',"oldImage":' + imageToExactJson(record.oldImage);
  if (record.newImage) line += ',"newImage":' + imageToExactJson(record.newImage);
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
  return line + '}';
}

/**
 * A table item read by `--scan`: a synthetic INSERT marked `"scan":true`, with no shard and no
 * sequence number (they are not the stream's), and no stream ARN for a table without a stream.
 */
function scannedHead(record: StreamRecord): string {
  return '{"table":' + quotedRepeating(record.table) +
    (record.streamArn ? ',"streamArn":' + quotedRepeating(record.streamArn) : '') +
    ',"eventId":' + JSON.stringify(record.eventId) +
    ',"eventName":' + quotedRepeating(record.eventName) +
    ',"scan":true';
}

/** The `--raw` line: the record exactly as a Lambda function receives it. No trailing newline. */
export function toRawLine(record: StreamRecord): string {
  return JSON.stringify(toLambdaRecord(record));
}

// Table, stream ARN, shard id and event name repeat on every line of a run: quote each once.
// Bounded, because a long follow run sees new shards for as long as it lives.
const quotedCache = new Map<string, string>();
const QUOTED_CACHE_MAX = 1024;

function quotedRepeating(text: string): string {
  let json = quotedCache.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quotedCache.size >= QUOTED_CACHE_MAX) quotedCache.clear();
    quotedCache.set(text, json);
  }
  return json;
}

function isoTime(time: Date): string {
  const ms = time.getTime();
  return Number.isNaN(ms) ? 'null' : '"' + time.toISOString() + '"';
}
