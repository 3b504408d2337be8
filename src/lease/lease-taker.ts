import type { Lease } from './lease.js';

export interface TakeInput {
  me: string;
  /** The leases worth holding: known shards, not finished (nor done for this run). */
  leases: readonly Lease[];
  isExpired: (lease: Lease) => boolean;
}

export interface TakePlan {
  /** Free or expired leases to take. */
  take: Lease[];
  /** Leases to ask of the most loaded worker when nothing is free. */
  steal: Lease[];
  /** Leases per worker this round aims at. */
  target: number;
}

/**
 * KCL's lease taker, as a pure decision: the workers are the owners of leases that are not
 * expired, plus this one; each should hold about leases/workers (rounded up). Free and expired
 * leases are taken first, up to the target. When nothing is free and this worker is short, it steals one lease from the most loaded worker if that one is
 * over the target, or at the target while this worker needs more than one.
 */
export function planTakes({ me, leases, isExpired }: TakeInput): TakePlan {
  const counts = new Map<string, number>([[me, 0]]);
  const available: Lease[] = [];
  for (const lease of leases) {
    const owner = lease.leaseOwner;
    if (!owner || (owner !== me && isExpired(lease))) {
      available.push(lease);
      continue;
    }
    // A lease this worker asked for is as good as its own: asking again, or for more, overshoots.
    const counted = owner !== me && lease.handoffTo === me ? me : owner;
    counts.set(owner, counts.get(owner) ?? 0);
    counts.set(counted, (counts.get(counted) ?? 0) + 1);
  }
  const workers = counts.size;
  const target = leases.length === 0 ? 0 : Math.ceil(leases.length / workers);
  const mine = counts.get(me) ?? 0;
  const needed = target - mine;
  if (needed <= 0) return { take: [], steal: [], target };
  if (available.length > 0) {
    // Shuffled, so that workers starting together do not all race for the same leases first.
    return { take: shuffle(available).slice(0, needed), steal: [], target };
  }
  let loaded: [string, number] | undefined;
  for (const entry of counts) if (entry[0] !== me && (!loaded || entry[1] > loaded[1])) loaded = entry;
  if (!loaded) return { take: [], steal: [], target };
  const [owner, count] = loaded;
  const steal = count > target ? Math.min(needed, count - target) : count === target && needed > 1 ? 1 : 0;
  const candidates = shuffle(leases.filter((lease) => lease.leaseOwner === owner && !lease.handoffTo));
  return { take: [], steal: candidates.slice(0, steal), target };
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
