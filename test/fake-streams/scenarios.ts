import { syntheticRecords, type StreamViewType } from './records.js';
import type { FakeStreams } from './server.js';

export interface ScenarioParams {
  /** Records per shard (lazy, generated). */
  records?: number;
  shards?: number;
  depth?: number;
  fanout?: number;
  payloadBytes?: number;
  keySpace?: number;
  /** Leave the last shards open (a reader must then be stopped, not run to the end). */
  open?: boolean;
  /** `live` only: records appended per second to the open shard. */
  rate?: number;
  tableName?: string;
  viewType?: StreamViewType;
}

export interface Scenario {
  tableName: string;
  streamArn: string;
  shardIds: string[];
  /** Records in the stream when the scenario starts. */
  records: number;
  /** Stops anything the scenario keeps doing (live writes). */
  stop(): void;
}

export const SCENARIO_NAMES = ['lazy', 'wide', 'lineage', 'live'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/**
 * Ready-made streams for benchmarks and the standalone server:
 * - lazy: `shards` (1) root shards of `records` (1,000,000) generated records each
 * - wide: `shards` (250) root shards of `records` (4) each
 * - lineage: a chain (fanout 1) or tree of `depth` (64) levels, `records` (100) per shard
 * - live: one open shard taking `rate` (1000) records a second, from `records` (0) already there
 * Shards are closed (a finite stream) unless `open`; `live` is always open.
 */
export function buildScenario(fake: FakeStreams, name: ScenarioName, params: ScenarioParams = {}): Scenario {
  const tableName = params.tableName ?? 'Bench';
  const generate = syntheticRecords({ payloadBytes: params.payloadBytes, keySpace: params.keySpace });
  const { streamArn } = fake.addTable({ tableName, stream: { viewType: params.viewType ?? 'NEW_AND_OLD_IMAGES', shards: 0 } });
  const arn = streamArn!;
  let stop = () => {};
  let shardIds: string[];
  let perShard: number;
  switch (name) {
    case 'lazy':
    case 'wide': {
      perShard = params.records ?? (name === 'lazy' ? 1_000_000 : 4);
      const count = params.shards ?? (name === 'lazy' ? 1 : 250);
      shardIds = fake.addRootShards(arn, count, { lazy: { count: perShard, generate }, closed: !params.open });
      break;
    }
    case 'lineage': {
      perShard = params.records ?? 100;
      const lineage = fake.addLineage(arn, {
        depth: params.depth ?? 64,
        fanout: params.fanout ?? 1,
        recordsPerShard: perShard,
        generate,
        closeLeaves: !params.open,
      });
      shardIds = lineage.shards;
      break;
    }
    case 'live': {
      perShard = params.records ?? 0;
      const shardId = fake.addShard(arn, { lazy: { count: perShard, generate } });
      shardIds = [shardId];
      const perTick = Math.max(1, Math.round((params.rate ?? 1000) / 10));
      const timer = setInterval(() => fake.appendGenerated(shardId, { count: perTick, generate }), 100);
      stop = () => clearInterval(timer);
      break;
    }
  }
  return { tableName, streamArn: arn, shardIds, records: perShard * shardIds.length, stop };
}
