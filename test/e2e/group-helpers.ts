import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LeaseTable } from '../../src/lease/lease-table.js';
import type { Lease } from '../../src/lease/lease.js';

/** A group's leases; none while its first worker has not yet created the table. */
export async function leasesOf(client: DynamoDBClient, table: string): Promise<Lease[]> {
  return new LeaseTable(client, table).scan().catch((error: Error) => {
    if (error.name === 'ResourceNotFoundException') return [];
    throw error;
  });
}

/** The first value `check` gives, asked every 100 ms; fails after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
