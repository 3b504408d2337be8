import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { parseNdjson, startCli } from './export-helpers.js';

const local = useDynamoDbLocal();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ddbstream-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Line {
  table: string;
  streamArn: string;
  shardId: string;
  sequenceNumber: string;
  eventId: string;
  eventName: string;
  time: string;
  keys: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  userIdentity?: unknown;
  sizeBytes: number;
  diff?: { path: string; op: string; from?: unknown; to?: unknown; added?: unknown; removed?: unknown }[];
}

const BIG = '12345678901234567890123456789012345678'; // 38 digits: a double keeps 17
const BIG_NEGATIVE = '-98765432109876543210.123456789012345678'; // 38 digits too
const BYTES = Uint8Array.from([0, 1, 2, 250]);

function exportCli(args: string[], timeoutMs = 20_000): Promise<CliResult> {
  return runCli(['export', ...args], { env: local.cliEnv(), timeoutMs });
}

async function put(table: string, item: Record<string, AttributeValue>): Promise<void> {
  await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
}

/** alice: every type DynamoDB has, then an email change and a removal. */
async function writeAlice(table: string): Promise<void> {
  await put(table, {
    pk: { S: 'alice' },
    email: { S: 'alice@old.example' },
    big: { N: BIG },
    negative: { N: BIG_NEGATIVE },
    small: { N: '0.5' },
    tags: { SS: ['beta', 'eu'] },
    scores: { NS: ['1', BIG] },
    blobs: { BS: [BYTES, Uint8Array.from([255])] },
    avatar: { B: BYTES },
    nothing: { NULL: true },
    active: { BOOL: true },
    deleted: { BOOL: false },
    profile: {
      M: {
        address: { M: { city: { S: 'Bern' }, zip: { N: '3000' } } },
        history: { L: [{ N: BIG }, { S: 'x' }, { L: [{ BOOL: false }, { NULL: true }] }, { M: { deep: { B: BYTES } } }] },
      },
    },
  });
  await local.dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { pk: { S: 'alice' } },
      UpdateExpression: 'SET email = :e, visits = :v REMOVE nothing',
      ExpressionAttributeValues: { ':e': { S: 'alice@new.example' }, ':v': { N: '42' } },
    }),
  );
  await local.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'alice' } } }));
}

describe('ddbstream export against DynamoDB Local', () => {
  describe('a table where alice is created, changed and deleted', () => {
    let table: string;
    let streamArn: string;
    beforeAll(async () => {
      ({ tableName: table, streamArn } = await local.createTableWithStream(local.tableName('users')));
      await writeAlice(table);
      await local.readStreamRecords(streamArn, 3);
    });

    it('writes one whole JSON line per record, with exact types end to end', async () => {
      const result = await exportCli([table]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = parseNdjson<Line>(result.stdout);
      expect(lines.map((l) => l.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);

      const [insert, modify, remove] = lines as [Line, Line, Line];
      for (const line of lines) {
        expect(line).toMatchObject({ table, streamArn, keys: { pk: 'alice' } });
        expect(line.sequenceNumber).toMatch(/^\d{21,40}$/);
        expect(typeof line.eventId).toBe('string');
        expect(new Date(line.time).toISOString()).toBe(line.time);
        expect(Math.abs(Date.parse(line.time) - Date.now())).toBeLessThan(10 * 60_000);
        expect(line.sizeBytes).toBeGreaterThan(0);
      }
      expect(Object.keys(insert)).toEqual(['table', 'streamArn', 'shardId', 'sequenceNumber', 'eventId', 'eventName', 'time', 'keys', 'newImage', 'sizeBytes']);
      expect(Object.keys(modify)).toEqual(['table', 'streamArn', 'shardId', 'sequenceNumber', 'eventId', 'eventName', 'time', 'keys', 'oldImage', 'newImage', 'sizeBytes']);
      expect(Object.keys(remove)).toEqual(['table', 'streamArn', 'shardId', 'sequenceNumber', 'eventId', 'eventName', 'time', 'keys', 'oldImage', 'sizeBytes']);

      const image = insert.newImage!;
      expect(image).toMatchObject({
        pk: 'alice',
        email: 'alice@old.example',
        small: 0.5,
        avatar: Buffer.from(BYTES).toString('base64'),
        nothing: null,
        active: true,
        deleted: false,
        profile: { address: { city: 'Bern', zip: 3000 } },
      });
      expect((image.tags as string[]).sort()).toEqual(['beta', 'eu']);
      expect((image.blobs as string[]).sort()).toEqual(['/w==', 'AAEC+g==']);
      const history = (image.profile as { history: unknown[] }).history;
      expect(history.slice(1)).toEqual(['x', [false, null], { deep: 'AAEC+g==' }]);

      // A JSON parser rounds 38 digits to a double; the text itself must carry every digit.
      const rawInsert = result.stdout.split('\n')[0]!;
      expect(rawInsert).toContain(`"big":${BIG},`);
      expect(rawInsert).toContain(`"negative":${BIG_NEGATIVE},`);
      expect(rawInsert).toContain(`"history":[${BIG},"x",[false,null],{"deep":"AAEC+g=="}]`);
      expect(rawInsert).toMatch(new RegExp(`"scores":\\[(1,${BIG}|${BIG},1)\\]`));
      expect(rawInsert).toContain('"zip":3000');

      expect(modify.oldImage).toMatchObject({ email: 'alice@old.example', nothing: null });
      expect(modify.newImage).toMatchObject({ email: 'alice@new.example', visits: 42 });
      expect(modify.newImage).not.toHaveProperty('nothing');
      expect(remove.oldImage).toMatchObject({ email: 'alice@new.example', visits: 42 });
    });

    it('works with the jq example from the help, as a shell pipeline', async (context) => {
      if (spawnSync('jq', ['--version']).status !== 0) {
        context.skip('jq is not installed');
        return;
      }
      const ddbstream = `'${process.execPath}' '${BIN}'`;
      const pipeline = (command: string): string =>
        execFileSync('sh', ['-c', command], { env: local.cliEnv(), encoding: 'utf8', timeout: 20_000 });
      expect(pipeline(`${ddbstream} export ${table} | jq -r 'select(.eventName=="MODIFY") | .newImage.email'`)).toBe('alice@new.example\n');
      // jq reads every line (it would stop at the first broken one).
      expect(pipeline(`${ddbstream} export ${table} | jq -r .eventName`)).toBe('INSERT\nMODIFY\nREMOVE\n');
    });

    it('--raw writes each record as a Lambda function receives it', async () => {
      const result = await exportCli([table, '--raw']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = parseNdjson<Record<string, unknown> & { dynamodb: Record<string, unknown> }>(result.stdout);
      const sdkRecords = await local.readStreamRecords(streamArn, 3);
      expect(lines).toHaveLength(3);
      lines.forEach((line, i) => {
        const sdk = sdkRecords[i]!;
        expect(Object.keys(line)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
        expect(line).toMatchObject({
          eventID: sdk.eventID,
          eventName: sdk.eventName,
          eventSource: 'aws:dynamodb',
          awsRegion: sdk.awsRegion,
          eventSourceARN: streamArn,
        });
        const seconds = line.dynamodb.ApproximateCreationDateTime;
        expect(Number.isInteger(seconds)).toBe(true);
        expect(seconds).toBe(Math.floor(sdk.dynamodb!.ApproximateCreationDateTime!.getTime() / 1000));
        expect(line.dynamodb).toMatchObject({
          Keys: { pk: { S: 'alice' } },
          SequenceNumber: sdk.dynamodb!.SequenceNumber,
          SizeBytes: sdk.dynamodb!.SizeBytes,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        });
      });
      const insert = lines[0]!.dynamodb.NewImage as Record<string, Record<string, unknown>>;
      expect(insert.big).toEqual({ N: BIG });
      expect(insert.negative).toEqual({ N: BIG_NEGATIVE });
      expect(insert.avatar).toEqual({ B: 'AAEC+g==' });
      expect((insert.blobs!.BS as string[]).sort()).toEqual(['/w==', 'AAEC+g==']);
      expect(insert.nothing).toEqual({ NULL: true });
      expect(insert.active).toEqual({ BOOL: true });
      expect(insert.profile).toEqual({
        M: {
          address: { M: { city: { S: 'Bern' }, zip: { N: '3000' } } },
          history: { L: [{ N: BIG }, { S: 'x' }, { L: [{ BOOL: false }, { NULL: true }] }, { M: { deep: { B: 'AAEC+g==' } } }] },
        },
      });
      expect(lines[1]!.dynamodb).toHaveProperty('OldImage');
      expect(lines[2]!.dynamodb).not.toHaveProperty('NewImage');
    });

    it('--diff adds the change list of each record', async () => {
      const result = await exportCli([table, '--diff', '--event', 'MODIFY']);
      expect(result.code).toBe(0);
      const [modify] = parseNdjson<Line>(result.stdout);
      expect(modify!.diff).toEqual([
        { path: 'email', op: 'change', from: 'alice@old.example', to: 'alice@new.example' },
        { path: 'nothing', op: 'remove', from: null },
        { path: 'visits', op: 'add', to: 42 },
      ]);
    });
  });

  describe('filters', () => {
    let table: string;
    beforeAll(async () => {
      ({ tableName: table } = await local.createTableWithStream(local.tableName('filters')));
      await put(table, { pk: { S: 'bob' }, status: { S: 'active' }, n: { N: '1' } });
      await put(table, { pk: { S: 'carol' }, status: { S: 'inactive' }, n: { N: '2' } });
      await put(table, { pk: { S: 'bob' }, status: { S: 'inactive' }, n: { N: '3' } });
      await local.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'carol' } } }));
    });

    const picked = async (...args: string[]): Promise<string[]> => {
      const result = await exportCli([table, ...args]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return parseNdjson<Line>(result.stdout).map((l) => `${l.eventName} ${String(l.keys.pk)}`);
    };

    it('--event keeps the named events, in any case', async () => {
      expect(await picked('--event', 'MODIFY')).toEqual(['MODIFY bob']);
      expect(await picked('--event', 'insert,remove')).toEqual(['INSERT bob', 'INSERT carol', 'REMOVE carol']);
    });

    it('--key keeps one item', async () => {
      expect(await picked('--key', 'pk=bob')).toEqual(['INSERT bob', 'MODIFY bob']);
    });

    it('--filter applies Lambda patterns, ORed, and combines with --event', async () => {
      expect(await picked('--filter', '{"dynamodb":{"NewImage":{"status":{"S":["active"]}}}}')).toEqual(['INSERT bob']);
      expect(await picked('--event', 'INSERT', '--filter', '{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"c"}]}}}}')).toEqual(['INSERT carol']);
      expect(await picked('--filter', '{"eventName":["REMOVE"]}', '--filter', '{"dynamodb":{"NewImage":{"n":{"N":["3"]}}}}'))
        .toEqual(['MODIFY bob', 'REMOVE carol']);
    });
  });

  describe('positions', () => {
    let table: string;
    const seq: Record<string, string> = {};
    const stamp: Record<string, number> = {};

    beforeAll(async () => {
      ({ tableName: table } = await local.createTableWithStream(local.tableName('positions')));
      for (const pk of ['early-1', 'early-2', 'late-1', 'late-2']) await put(table, { pk: { S: pk } });
      const result = await exportCli([table]);
      for (const line of parseNdjson<Line>(result.stdout)) {
        seq[String(line.keys.pk)] = line.sequenceNumber;
        stamp[String(line.keys.pk)] = Date.parse(line.time);
      }
      expect(Object.keys(seq)).toEqual(['early-1', 'early-2', 'late-1', 'late-2']);
    });

    const keys = async (...args: string[]): Promise<string[]> => {
      const result = await exportCli([table, ...args]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return parseNdjson<Line>(result.stdout).map((l) => String(l.keys.pk));
    };
    const iso = (ms: number): string => new Date(ms).toISOString();

    it('--from and --until take ISO times, compared with the time each record carries', async () => {
      // DynamoDB Local stamps records to the minute (AWS to the second), so the boundaries here
      // are the stamps themselves; the fake endpoint's tests place records at chosen seconds.
      const first = stamp['early-1']!;
      const last = stamp['late-2']!;
      const all = ['early-1', 'early-2', 'late-1', 'late-2'];
      expect(await keys('--from', iso(first))).toEqual(all);
      expect(await keys('--from', iso(last + 1_000))).toEqual([]);
      expect(await keys('--until', iso(last))).toEqual(all);
      expect(await keys('--until', iso(first - 1_000))).toEqual([]);
    });

    it('--from and --until take durations back from now', async () => {
      expect(await keys('--from', '1h')).toEqual(['early-1', 'early-2', 'late-1', 'late-2']);
      expect(await keys('--until', '1h')).toEqual([]);
    });

    it('--from and --until take sequence numbers', async () => {
      expect(await keys('--from', seq['early-2']!)).toEqual(['early-2', 'late-1', 'late-2']);
      expect(await keys('--until', seq['late-1']!)).toEqual(['early-1', 'early-2', 'late-1']);
      expect(await keys('--from', seq['early-2']!, '--until', seq['late-1']!)).toEqual(['early-2', 'late-1']);
    });

    it('-n stops after N records, counted after filters', async () => {
      expect(await keys('-n', '3')).toEqual(['early-1', 'early-2', 'late-1']);
      expect(await keys('-n', '1', '--key', 'pk=late-2')).toEqual(['late-2']);
    });

    it('refuses values it cannot read with exit 2 and the accepted forms', async () => {
      for (const args of [['--from', 'yesterday'], ['--until', 'latest'], ['-n', '0']]) {
        const result = await exportCli([table, ...args]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
    });
  });

  describe('a table of 3000 items', () => {
    const COUNT = 3000;
    let table: string;
    let streamArn: string;
    let allSequenceNumbers: string[];
    beforeAll(async () => {
      ({ tableName: table, streamArn } = await local.createTableWithStream(local.tableName('many')));
      const batches: Record<string, AttributeValue>[][] = [];
      for (let i = 0; i < COUNT; i += 25) {
        batches.push(Array.from({ length: 25 }, (_, j) => ({ pk: { S: `item-${i + j}` }, n: { N: String(i + j) }, pad: { S: 'x'.repeat(200) } })));
      }
      for (let i = 0; i < batches.length; i += 8) {
        await Promise.all(batches.slice(i, i + 8).map((items) =>
          local.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }))));
      }
      const records = await local.readStreamRecords(streamArn, COUNT, 30_000);
      allSequenceNumbers = records.map((r) => r.dynamodb!.SequenceNumber!);
      expect(new Set(allSequenceNumbers).size).toBe(COUNT);
    }, 60_000);

    it('-n 1500 --checkpoint, then --checkpoint again: every record exactly once across the two runs', async () => {
      const checkpoint = join(dir, 'many.cp.json');
      const first = await exportCli([table, '-n', '1500', '--checkpoint', checkpoint]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const firstLines = parseNdjson<Line>(first.stdout);
      expect(firstLines).toHaveLength(1500);

      const saved = JSON.parse(await readFile(checkpoint, 'utf8')) as { streamArn: string; shards: Record<string, { sequenceNumber?: string }> };
      expect(saved.streamArn).toBe(streamArn);
      expect(Object.values(saved.shards).map((s) => s.sequenceNumber)).toEqual([firstLines.at(-1)!.sequenceNumber]);
      // It names tables and keys: only the user may read it.
      expect((await stat(checkpoint)).mode & 0o777).toBe(0o600);

      const second = await exportCli([table, '--checkpoint', checkpoint]);
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      const secondLines = parseNdjson<Line>(second.stdout);
      expect(secondLines).toHaveLength(COUNT - 1500);

      const both = [...firstLines, ...secondLines].map((l) => l.sequenceNumber);
      expect(both).toEqual(allSequenceNumbers);

      // A third run has nothing left to write.
      const third = await exportCli([table, '--checkpoint', checkpoint]);
      expect(third.code).toBe(0);
      expect(third.stdout).toBe('');
    });

    it('refuses the checkpoint of another stream with exit 2', async () => {
      const checkpoint = join(dir, 'other.cp.json');
      const first = await exportCli([table, '-n', '10', '--checkpoint', checkpoint]);
      expect(first.code).toBe(0);
      const { tableName: other } = await local.createTableWithStream(local.tableName('other'));
      const result = await exportCli([other, '--checkpoint', checkpoint]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`belongs to another stream (${streamArn})`);
      expect(result.stderr).toMatch(/different --checkpoint/);
    });

    it('ends quietly with exit 0 when the reader of stdout goes away', async () => {
      const cli = startCli(['export', table], local.cliEnv());
      const first = await cli.waitForLine(() => true);
      expect(JSON.parse(first)).toMatchObject({ table, eventName: 'INSERT' });
      cli.child.stdout.destroy();
      const exit = await cli.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(cli.stderr()).toBe('');
    });

    /** Sends SIGINT once some lines are out; the run's lines, and the rest from a rerun with the checkpoint. */
    const interruptAndResume = async (name: string, reader: (stdout: NodeJS.ReadableStream) => () => void) => {
      const checkpoint = join(dir, `${name}.cp.json`);
      const cli = startCli(['export', table, '--checkpoint', checkpoint], local.cliEnv());
      await cli.waitForLine(() => true);
      const stopReading = reader(cli.child.stdout);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sent = Date.now();
      cli.child.kill('SIGINT');
      const exitedInTime = await Promise.race([
        cli.exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_500)),
      ]);
      stopReading();
      const exit = await cli.exited;
      expect(exitedInTime).toBe(true);
      expect(exit.code).toBe(130);
      expect(exit.at - sent).toBeLessThan(2_000);
      expect(cli.stderr()).toBe('');
      // No file means nothing reached the reader: a rerun starts from the beginning.
      const saved = existsSync(checkpoint)
        ? (JSON.parse(await readFile(checkpoint, 'utf8')) as { shards: Record<string, { sequenceNumber?: string }> })
        : { shards: {} };
      const through = Object.values(saved.shards)[0]?.sequenceNumber;
      const rerun = await exportCli([table, '--checkpoint', checkpoint]);
      expect(rerun.code).toBe(0);
      return { lines: cli.lines, through, rest: parseNdjson<Line>(rerun.stdout).map((l) => l.sequenceNumber) };
    };

    it('SIGINT with a slow reader of stdout: exit 130 within 2 s, whole lines, every record exactly once with a rerun', async () => {
      const { lines, through, rest } = await interruptAndResume('slow', (stdout) => {
        stdout.pause();
        // Takes what the pipe holds a few times a second: far slower than the export writes.
        const timer = setInterval(() => {
          stdout.resume();
          setImmediate(() => stdout.pause());
        }, 200);
        return () => {
          clearInterval(timer);
          stdout.resume();
        };
      });
      const written = lines.map((line) => (JSON.parse(line) as Line).sequenceNumber);
      expect(written.length).toBeGreaterThan(0);
      expect(written.length).toBeLessThan(COUNT);
      expect(through).toBe(written.at(-1));
      expect([...written, ...rest]).toEqual(allSequenceNumbers);
    });

    it('SIGINT with a reader that stopped reading: exit 130 within 2 s anyway, and a rerun loses nothing', async () => {
      const { lines, through, rest } = await interruptAndResume('stalled', (stdout) => {
        stdout.pause(); // the pipe fills up and stays full
        return () => stdout.resume();
      });
      // Lines the reader never took may be cut at the exit; the checkpoint stays before them.
      const whole = lines.filter((line) => {
        try {
          JSON.parse(line);
          return true;
        } catch {
          return false;
        }
      });
      expect(lines.length - whole.length).toBeLessThanOrEqual(1);
      const written = whole.map((line) => (JSON.parse(line) as Line).sequenceNumber);
      expect(written).toEqual(allSequenceNumbers.slice(0, written.length));
      const resumeAt = through === undefined ? 0 : allSequenceNumbers.indexOf(through) + 1;
      expect(resumeAt).toBeLessThanOrEqual(written.length);
      expect(rest).toEqual(allSequenceNumbers.slice(resumeAt));
    });

    it('-o writes the lines to a file, and nothing to stdout', async () => {
      const file = join(dir, 'many.ndjson');
      const result = await exportCli([table, '-o', file]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('');
      const lines = parseNdjson<Line>(await readFile(file, 'utf8'));
      expect(lines.map((l) => l.sequenceNumber)).toEqual(allSequenceNumbers);
    });

    it('-o into a folder that does not exist is a usage error (exit 2, one line)', async () => {
      const file = join(dir, 'no-such-folder', 'out.ndjson');
      const result = await exportCli([table, '-o', file]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`the folder ${join(dir, 'no-such-folder')} does not exist`);
    });
  });

  it('a table without a stream: exit 1 with the command that enables one', async () => {
    const table = local.tableName('nostream');
    await local.dynamodb.send(new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    const result = await exportCli([table]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`table "${table}" has no stream`);
    expect(result.stderr).toContain(`aws dynamodb update-table --table-name ${table} --stream-specification StreamEnabled=true`);
  });

  it('--follow writes a change made after it started; SIGINT stops it within 2 s with the checkpoint saved', async () => {
    const { tableName: table } = await local.createTableWithStream(local.tableName('follow'));
    await put(table, { pk: { S: 'before' } });
    const checkpoint = join(dir, 'follow.cp.json');
    const cli = startCli(['export', table, '--follow', '--checkpoint', checkpoint, '--poll-interval', '100'], local.cliEnv());
    await cli.waitForLine((line) => line.includes('"before"'));
    await put(table, { pk: { S: 'after' } });
    const after = JSON.parse(await cli.waitForLine((line) => line.includes('"after"'))) as Line;
    expect(after).toMatchObject({ eventName: 'INSERT', keys: { pk: 'after' } });

    const sent = Date.now();
    cli.child.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(130);
    expect(exit.at - sent).toBeLessThan(2_000);
    expect(cli.stderr()).toBe('');
    expect(cli.lines.map((line) => (JSON.parse(line) as Line).keys.pk)).toEqual(['before', 'after']);
    const saved = JSON.parse(await readFile(checkpoint, 'utf8')) as { shards: Record<string, { sequenceNumber?: string }> };
    expect(saved.shards[after.shardId]?.sequenceNumber).toBe(after.sequenceNumber);
  });
});
