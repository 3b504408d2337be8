import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Lease } from './lease.js';

type Item = Record<string, AttributeValue>;

/**
 * KCL's attributes and types: leaseKey S, leaseOwner S, leaseCounter N, checkpoint S,
 * checkpointSubSequenceNumber N, ownerSwitchesSinceCheckpoint N, parentShardId SS. Ours are
 * extra attributes a KCL reader ignores.
 */
export const ATTR = {
  key: 'leaseKey',
  owner: 'leaseOwner',
  counter: 'leaseCounter',
  checkpoint: 'checkpoint',
  subSequence: 'checkpointSubSequenceNumber',
  ownerSwitches: 'ownerSwitchesSinceCheckpoint',
  parents: 'parentShardId',
  streamArn: 'ddbstreamStreamArn',
  startAt: 'ddbstreamStartAt',
  readToTipAt: 'ddbstreamReadToTipAt',
  handoffTo: 'ddbstreamHandoffTo',
  renewedAt: 'ddbstreamRenewedAt',
  scanStartedAt: 'ddbstreamScanStartedAt',
  scanSegments: 'ddbstreamScanSegments',
} as const;

export function leaseToItem(lease: Lease): Item {
  const item: Item = {
    [ATTR.key]: { S: lease.leaseKey },
    [ATTR.counter]: { N: String(lease.leaseCounter) },
    [ATTR.checkpoint]: { S: lease.checkpoint },
    [ATTR.subSequence]: { N: String(lease.checkpointSubSequenceNumber) },
    [ATTR.ownerSwitches]: { N: String(lease.ownerSwitchesSinceCheckpoint) },
  };
  if (lease.leaseOwner) item[ATTR.owner] = { S: lease.leaseOwner };
  // A string set cannot be empty: a root shard has no parentShardId at all, as in KCL's tables.
  if (lease.parentShardIds.length) item[ATTR.parents] = { SS: [...lease.parentShardIds] };
  if (lease.streamArn) item[ATTR.streamArn] = { S: lease.streamArn };
  if (lease.startAt) item[ATTR.startAt] = { S: lease.startAt };
  if (lease.readToTipAt !== undefined) item[ATTR.readToTipAt] = { N: String(lease.readToTipAt) };
  if (lease.handoffTo) item[ATTR.handoffTo] = { S: lease.handoffTo };
  if (lease.renewedAt !== undefined) item[ATTR.renewedAt] = { N: String(lease.renewedAt) };
  if (lease.scanStartedAt) item[ATTR.scanStartedAt] = { S: lease.scanStartedAt };
  if (lease.scanSegments !== undefined) item[ATTR.scanSegments] = { N: String(lease.scanSegments) };
  return item;
}

/**
 * A lease from a table item, or undefined when the item is not one (no string leaseKey, or no
 * numeric leaseCounter): KCL writes both on every lease. Other KCL attributes (hash key ranges,
 * pending checkpoints, entity types of newer KCL versions) are ignored.
 */
export function itemToLease(item: Item): Lease | undefined {
  const key = item[ATTR.key]?.S;
  const counter = numberOf(item[ATTR.counter]);
  if (key === undefined || counter === undefined) return undefined;
  const lease: Lease = {
    leaseKey: key,
    leaseCounter: counter,
    checkpoint: item[ATTR.checkpoint]?.S ?? '',
    checkpointSubSequenceNumber: numberOf(item[ATTR.subSequence]) ?? 0,
    ownerSwitchesSinceCheckpoint: numberOf(item[ATTR.ownerSwitches]) ?? 0,
    parentShardIds: parentsOf(item[ATTR.parents]),
  };
  const owner = item[ATTR.owner]?.S;
  if (owner) lease.leaseOwner = owner;
  const streamArn = item[ATTR.streamArn]?.S;
  if (streamArn) lease.streamArn = streamArn;
  const startAt = item[ATTR.startAt]?.S;
  if (startAt) lease.startAt = startAt;
  const tip = numberOf(item[ATTR.readToTipAt]);
  if (tip !== undefined) lease.readToTipAt = tip;
  const handoffTo = item[ATTR.handoffTo]?.S;
  if (handoffTo) lease.handoffTo = handoffTo;
  const renewedAt = numberOf(item[ATTR.renewedAt]);
  if (renewedAt !== undefined) lease.renewedAt = renewedAt;
  const scanStartedAt = item[ATTR.scanStartedAt]?.S;
  if (scanStartedAt) lease.scanStartedAt = scanStartedAt;
  const scanSegments = numberOf(item[ATTR.scanSegments]);
  if (scanSegments !== undefined) lease.scanSegments = scanSegments;
  return lease;
}

/** KCL writes a string set; a single string (hand-written tables) is read too. */
function parentsOf(value: AttributeValue | undefined): string[] {
  if (value?.SS) return value.SS;
  return value?.S ? [value.S] : [];
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  if (value?.N === undefined) return undefined;
  const n = Number(value.N);
  return Number.isFinite(n) ? n : undefined;
}
