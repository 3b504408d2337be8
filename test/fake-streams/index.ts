export { FakeStreams, startFakeStreams, type FakeStreamsOptions } from './server.js';
export type { ShardInfo, ShardSpec, StreamSpec, TableSpec, StreamStatus, KeySchemaElement } from './state.js';
export type { LazyRecords } from './shard.js';
export { syntheticRecords, type RecordInput, type RecordGenerator, type WireAttributeMap, type StreamViewType } from './records.js';
export type { Action, FaultScope, ThrottleError } from './faults.js';
export type { CallLogEntry, CallFilter } from './call-log.js';
export type { Lineage, LineageOptions } from './topology.js';
