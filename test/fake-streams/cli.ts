/**
 * The fake as its own process, so a benchmark can measure a client without the fake in the same
 * heap. Prints one JSON line ({endpoint, tableName, streamArn, shards, records}) once listening,
 * then serves until SIGINT/SIGTERM (or, with --watch-stdin, until stdin closes).
 *
 *   node fake-streams.mjs --scenario lazy --records 1000000 [--shards N] [--depth N] [--fanout N]
 *     [--payload-bytes N] [--key-space N] [--open] [--rate N] [--latency MS] [--records-per-page N]
 *     [--seed N] [--watch-stdin]
 */
import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, buildScenario, type ScenarioName } from './scenarios.js';
import { startFakeStreams } from './server.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'lazy' },
    records: { type: 'string' },
    shards: { type: 'string' },
    depth: { type: 'string' },
    fanout: { type: 'string' },
    'payload-bytes': { type: 'string' },
    'key-space': { type: 'string' },
    open: { type: 'boolean', default: false },
    rate: { type: 'string' },
    latency: { type: 'string' },
    'records-per-page': { type: 'string' },
    seed: { type: 'string' },
    'watch-stdin': { type: 'boolean', default: false },
  },
});

const scenario = values.scenario as ScenarioName;
if (!SCENARIO_NAMES.includes(scenario)) {
  process.stderr.write(`fake-streams: unknown scenario "${values.scenario}"; use one of ${SCENARIO_NAMES.join(', ')}\n`);
  process.exitCode = 2;
} else {
  await run(scenario);
}

async function run(name: ScenarioName): Promise<void> {
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  // A bounded log: a long benchmark must not grow the fake's own memory.
  const fake = await startFakeStreams({ seed: number(values.seed), logLimit: 1000 });
  const built = buildScenario(fake, name, {
    records: number(values.records),
    shards: number(values.shards),
    depth: number(values.depth),
    fanout: number(values.fanout),
    payloadBytes: number(values['payload-bytes']),
    keySpace: number(values['key-space']),
    open: values.open,
    rate: number(values.rate),
  });
  if (values.latency) fake.faults.setLatency(Number(values.latency));
  fake.faults.recordsPerPage = number(values['records-per-page']);
  const stop = () => {
    built.stop();
    if (values['watch-stdin']) process.stdin.destroy();
    void fake.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (values['watch-stdin']) {
    process.stdin.on('end', stop).on('close', stop).resume();
  }
  process.stdout.write(JSON.stringify({
    endpoint: fake.endpoint,
    tableName: built.tableName,
    streamArn: built.streamArn,
    shards: built.shardIds.length,
    records: built.records,
  }) + '\n');
}
