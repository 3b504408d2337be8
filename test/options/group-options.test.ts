import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { parseGroupOptions } from '../../src/options/group-options.js';

describe('parseGroupOptions', () => {
  it('defaults the lease table to the group, the worker to host and pid, the duration to 10 s', () => {
    expect(parseGroupOptions({ group: 'orders' }, undefined)).toEqual({
      name: 'orders', leaseTable: 'orders', workerId: `${hostname()}:${process.pid}`, leaseDurationMs: 10_000,
    });
    expect(parseGroupOptions({ group: 'orders', leaseTable: 'leases.orders', workerId: 'w1', leaseDuration: '1.5' }, undefined))
      .toMatchObject({ leaseTable: 'leases.orders', workerId: 'w1', leaseDurationMs: 1500 });
    expect(parseGroupOptions({}, 'x.cp')).toBeUndefined();
  });

  it('refuses a checkpoint file, a bad table name, a bad duration, and group options without a group', () => {
    expect(() => parseGroupOptions({ group: 'g1' }, 'x.cp')).toThrow('--group keeps its checkpoints in the lease table');
    expect(() => parseGroupOptions({ group: 'a b' }, undefined)).toThrow('is not a DynamoDB table name');
    expect(() => parseGroupOptions({ group: 'group1', leaseDuration: '0.1' }, undefined)).toThrow('--lease-duration "0.1" must be a number of seconds');
    expect(() => parseGroupOptions({ leaseTable: 't1' }, undefined)).toThrow('--lease-table applies to a consumer group');
  });
});
