import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv } from '../helpers/cli.js';
import { hasScript, onTerminal as onTerminalAt, type TerminalRun } from '../helpers/terminal.js';
import { useTempDir } from '../helpers/temp-dir.js';

/**
 * What a terminal shows of several streams read at once: export's progress line and tail's
 * status area, the built CLI under a pseudo-terminal (`script`) against the fake endpoint.
 */

const HOUR = 3_600_000;
const folder = useTempDir('ddbstream-several-');
let fake: FakeStreams | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
  fake = undefined;
});

/** "Users": one shard of 3,000 INSERTs two hours old (three pages); "Orders": one of 3 fresh ones; every read slow enough to be seen. */
async function twoTables(): Promise<FakeStreams> {
  const f = await startFakeStreams();
  fake = f;
  const old = Math.floor((Date.now() - 2 * HOUR) / 1000) * 1000;
  const users = f.addTable({ tableName: 'Users', stream: { shards: 0 } }).streamArn!;
  f.addRootShards(users, 1, { records: Array.from({ length: 3000 }, (_, k) => ({ keys: { pk: { S: `u${k}` } }, newImage: { pk: { S: `u${k}` } }, time: old })) });
  const orders = f.addTable({ tableName: 'Orders', stream: { shards: 0 } }).streamArn!;
  f.addRootShards(orders, 1, { records: Array.from({ length: 3 }, (_, k) => ({ keys: { pk: { S: `o${k}` } }, newImage: { pk: { S: `o${k}` } } })) });
  f.faults.setLatency(400, { actions: ['GetRecords'] });
  return f;
}

/** The CLI on a terminal, against the fake. */
function onTerminal(f: FakeStreams, args: string[]): TerminalRun {
  const run = onTerminalAt([...args, '--endpoint-url', f.endpoint], cleanEnv());
  children.push(run.child);
  return run;
}

describe('several streams on a terminal', () => {
  it.skipIf(!hasScript)('export\'s progress line says how many streams, their shards together and the one most behind', async () => {
    const f = await twoTables();
    const run = onTerminal(f, ['export', 'Users', 'Orders', '-o', join(folder.path, 'both.ndjson')]);
    expect(await run.exited).toBe(0);
    expect(run.screen()).toMatch(/exported [\d,]+ records · 2 streams · shards [0-2]\/2 done · [\d,]+ rec\/s · most behind: Users, 2h 0m/);
    expect(run.screen()).toContain('ddbstream: exported 3,003 records to');
  }, 30_000);

  it.skipIf(!hasScript)('export --scan of two tables: the progress line shows both scans together, then the streams', async () => {
    const f = await startFakeStreams();
    fake = f;
    for (const [table, count] of [['Users', 60], ['Orders', 40]] as const) {
      f.addTable({ tableName: table, stream: { shards: 1 } });
      f.table(table).items.push(...Array.from({ length: count }, (_, k) => ({ pk: { S: `${table}-${k}` } })));
    }
    f.faults.setLatency(300, { actions: ['Scan'] });
    const run = onTerminalAt(
      ['export', 'Users', 'Orders', '--scan', '--scan-segments', '2', '-o', join(folder.path, 'scan.ndjson'), '--endpoint-url', f.endpoint],
      cleanEnv({ DDBSTREAM_SCAN_PAGE_SIZE: '10' }),
    );
    children.push(run.child);
    expect(await run.exited).toBe(0);
    // Four segments in all, two of each table; one line for both.
    expect(run.screen()).toMatch(/scanned [1-9][\d,]* items · segments [0-3]\/4 done · [\d.,]+ RCU · exported [\d,]+ records · 2 streams · shards/);
    expect(run.screen()).toContain('ddbstream: exported 100 records to');
  }, 30_000);

  it.skipIf(!hasScript)('tail\'s status area has a line per stream: records, shards and lag, each falling to caught up', async () => {
    const f = await twoTables();
    const run = onTerminal(f, ['tail', 'Users', 'Orders', '--from', 'trim-horizon', '--event', 'REMOVE']);
    const deadline = Date.now() + 20_000;
    const usersCaughtUp = /Users · shards 1 open, 0 closed \(reading 1\) · 0 records · caught up/;
    while (!usersCaughtUp.test(run.screen()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const screen = run.screen();
    expect(screen).toMatch(/2 streams · 0 records · /);
    expect(screen).toMatch(/Users · shards 1 open, 0 closed \(reading 1\) · 0 records · behind 2h 0m/);
    expect(screen).toMatch(usersCaughtUp);
    expect(screen).toMatch(/Orders · shards 1 open, 0 closed \(reading 1\) · 0 records · caught up/);
    run.child.stdin!.write('q');
    expect(await run.exited).toBe(0);
  }, 30_000);
});
