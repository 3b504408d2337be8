import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeRecord } from './make-records.js';
import type { LambdaStreamRecord } from '../../src/records/lambda-record.js';

/** Records 1..count of distinct items; `flags` puts NewImage.flag on some of them. */
export function flaggedRecords(count: number, flags: Record<number, string> = {}): LambdaStreamRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const record = makeRecord(i + 1, `item-${i + 1}`);
    const flag = flags[i + 1];
    if (flag) record.dynamodb.NewImage = { ...record.dynamodb.NewImage, flag: { S: flag } };
    return record;
  });
}

export function writeNdjson(dir: string, name: string, values: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, values.map((value) => JSON.stringify(value)).join('\n') + '\n');
  return file;
}
