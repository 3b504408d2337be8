import type { AttributeValue, DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { dynamoDbSdk } from '../aws/dynamodb-sdk.js';
import { sleep } from '../util/sleep.js';
import { LeaseTableCreateError, LeaseTableMissingError, NotALeaseTableError } from './errors.js';
import { SHARD_END, type Lease } from './lease.js';
import { ATTR, itemToLease, leaseToItem } from './lease-codec.js';

// Through `require` (aws/dynamodb-sdk.ts): an `import` of the package costs every reading command its start-up.
const { CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } = dynamoDbSdk;
type ConditionalCommand = InstanceType<typeof PutItemCommand | typeof UpdateItemCommand | typeof DeleteItemCommand>;

/** How often to ask whether a table being created is ACTIVE yet. */
const ACTIVE_POLL_MS = 250;
const ACTIVE_WAIT_MS = 120_000;

/** What a conditional write needs of the lease as the writer last saw it. */
export interface HeldLease {
  leaseKey: string;
  leaseOwner: string;
  leaseCounter: number;
}

/**
 * A lease table in DynamoDB. Every write that touches ownership or a checkpoint is conditional
 * on the counter (and owner) the writer last saw, as KCL's are: a write that finds the lease
 * changed under it returns false instead of writing, and its caller has lost the lease.
 */
export class LeaseTable {
  constructor(
    private readonly client: DynamoDBClient,
    readonly name: string,
  ) {}

  /** The table's description, or undefined when it does not exist. */
  async describe(signal?: AbortSignal): Promise<TableDescription | undefined> {
    try {
      const { Table } = await this.client.send(new DescribeTableCommand({ TableName: this.name }), { abortSignal: signal });
      return Table;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  /** Fails unless the table exists with KCL's key (leaseKey, a string hash key, and nothing else). */
  async assertLeaseTable(signal?: AbortSignal): Promise<void> {
    const table = await this.describe(signal);
    if (!table) throw new LeaseTableMissingError(this.name);
    checkKeySchema(this.name, table);
  }

  /** Creates the table on first use (on-demand, hash key leaseKey S) and waits until it is ACTIVE. */
  async ensure(signal?: AbortSignal): Promise<void> {
    let table = await this.describe(signal);
    if (!table) {
      try {
        await this.client.send(new CreateTableCommand({
          TableName: this.name,
          AttributeDefinitions: [{ AttributeName: ATTR.key, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: ATTR.key, KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }), { abortSignal: signal });
      } catch (error) {
        const name = (error as Error).name;
        // Another worker of the group created it first: wait for theirs.
        if (name !== 'ResourceInUseException') throw new LeaseTableCreateError(this.name, name, { cause: error });
      }
      table = await this.describe(signal);
    }
    const deadline = Date.now() + ACTIVE_WAIT_MS;
    while (table?.TableStatus !== 'ACTIVE') {
      if (Date.now() > deadline || signal?.aborted) throw new LeaseTableCreateError(this.name, `still ${table?.TableStatus ?? 'missing'}`);
      await sleep(ACTIVE_POLL_MS, signal);
      table = await this.describe(signal);
    }
    checkKeySchema(this.name, table);
  }

  /** Every lease (all pages). An item that is not a lease makes the table not a lease table. */
  async scan(signal?: AbortSignal): Promise<Lease[]> {
    const leases: Lease[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.name, ConsistentRead: true, ExclusiveStartKey: start }), { abortSignal: signal });
      for (const item of page.Items ?? []) {
        const lease = itemToLease(item);
        if (!lease) throw new NotALeaseTableError(this.name, `an item without ${ATTR.key} and ${ATTR.counter}`);
        leases.push(lease);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return leases;
  }

  /** One lease, read consistently; undefined when the table has none of that key. */
  async get(leaseKey: string, signal?: AbortSignal): Promise<Lease | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({
      TableName: this.name,
      Key: { [ATTR.key]: { S: leaseKey } },
      ConsistentRead: true,
    }), { abortSignal: signal });
    if (!Item) return undefined;
    const lease = itemToLease(Item);
    if (!lease) throw new NotALeaseTableError(this.name, `an item without ${ATTR.key} and ${ATTR.counter}`);
    return lease;
  }

  /** Writes a new lease unless one of that key exists; false when one did. */
  async create(lease: Lease): Promise<boolean> {
    return this.conditional(new PutItemCommand({
      TableName: this.name,
      Item: leaseToItem(lease),
      ConditionExpression: 'attribute_not_exists(#key)',
      ExpressionAttributeNames: { '#key': ATTR.key },
    }));
  }

  /** Takes a free, expired or stolen lease, as seen at `seen`: owner set, counter bumped. */
  take(seen: Pick<Lease, 'leaseKey' | 'leaseCounter' | 'leaseOwner'>, owner: string): Promise<boolean> {
    const switched = seen.leaseOwner !== undefined && seen.leaseOwner !== owner;
    return this.conditional(new UpdateItemCommand({
      TableName: this.name,
      Key: { [ATTR.key]: { S: seen.leaseKey } },
      UpdateExpression: `SET #owner = :owner, #counter = :next, #renewed = :now${switched ? ' ADD #switches :one' : ''} REMOVE #handoff`,
      ConditionExpression: '#counter = :seen',
      ExpressionAttributeNames: {
        '#owner': ATTR.owner,
        '#counter': ATTR.counter,
        '#handoff': ATTR.handoffTo,
        '#renewed': ATTR.renewedAt,
        ...(switched ? { '#switches': ATTR.ownerSwitches } : {}),
      },
      ExpressionAttributeValues: {
        ':owner': { S: owner },
        ':now': { N: String(Date.now()) },
        ':next': { N: String(seen.leaseCounter + 1) },
        ':seen': { N: String(seen.leaseCounter) },
        ...(switched ? { ':one': { N: '1' } } : {}),
      },
    }));
  }

  /**
   * Asks the owner of a live lease to hand it over. The counter is left alone, so the owner's
   * own writes go on: it hands over once what it delivered is checkpointed.
   */
  requestHandoff(seen: Pick<Lease, 'leaseKey' | 'leaseCounter' | 'leaseOwner'>, to: string): Promise<boolean> {
    return this.conditional(new UpdateItemCommand({
      TableName: this.name,
      Key: { [ATTR.key]: { S: seen.leaseKey } },
      UpdateExpression: 'SET #handoff = :to',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#handoff': ATTR.handoffTo, '#owner': ATTR.owner },
      ExpressionAttributeValues: { ':to': { S: to }, ':owner': { S: seen.leaseOwner ?? '' } },
    }));
  }

  /** Gives a held lease to the worker that asked for it. */
  handOff(held: HeldLease, to: string): Promise<boolean> {
    return this.update(
      held,
      'SET #counter = :next, #owner = :to ADD #switches :one REMOVE #handoff',
      { '#switches': ATTR.ownerSwitches, '#handoff': ATTR.handoffTo },
      { ':to': { S: to }, ':one': { N: '1' } },
    );
  }

  /** Bumps the counter of a lease this worker holds: the heartbeat others watch. */
  renew(held: HeldLease): Promise<boolean> {
    return this.update(held, 'SET #counter = :next', {}, {});
  }

  /**
   * Moves the checkpoint (a sequence number, or SHARD_END). A finished shard's lease is let go
   * in the same write: nobody needs to hold it, and its children may start.
   */
  checkpoint(held: HeldLease, checkpoint: string): Promise<boolean> {
    const release = checkpoint === SHARD_END ? ' REMOVE #owner, #handoff' : '';
    return this.update(
      held,
      `SET #counter = :next, #cp = :cp, #sub = :zero, #switches = :zero${release}`,
      { '#cp': ATTR.checkpoint, '#sub': ATTR.subSequence, '#switches': ATTR.ownerSwitches, ...(release ? { '#handoff': ATTR.handoffTo } : {}) },
      { ':cp': { S: checkpoint }, ':zero': { N: '0' } },
    );
  }

  /** Lets a lease go (shutdown, or read to its tip in a run without --follow), with an optional tip mark. */
  release(held: HeldLease, readToTipAt?: number): Promise<boolean> {
    return this.update(
      held,
      `SET #counter = :next${readToTipAt !== undefined ? ', #tip = :tip' : ''} REMOVE #owner, #handoff`,
      { '#handoff': ATTR.handoffTo, ...(readToTipAt !== undefined ? { '#tip': ATTR.readToTipAt } : {}) },
      readToTipAt !== undefined ? { ':tip': { N: String(readToTipAt) } } : {},
    );
  }

  /** Deletes a finished lease nobody holds, as seen at `seen`; false when it changed meanwhile. */
  delete(seen: Pick<Lease, 'leaseKey' | 'leaseCounter'>): Promise<boolean> {
    return this.conditional(new DeleteItemCommand({
      TableName: this.name,
      Key: { [ATTR.key]: { S: seen.leaseKey } },
      ConditionExpression: '#cp = :end AND #counter = :seen AND attribute_not_exists(#owner)',
      ExpressionAttributeNames: { '#cp': ATTR.checkpoint, '#counter': ATTR.counter, '#owner': ATTR.owner },
      ExpressionAttributeValues: { ':end': { S: SHARD_END }, ':seen': { N: String(seen.leaseCounter) } },
    }));
  }

  /** An update of a held lease: only while it is still ours at the counter we last wrote. */
  private update(
    held: HeldLease,
    expression: string,
    names: Record<string, string>,
    values: Record<string, AttributeValue>,
  ): Promise<boolean> {
    return this.conditional(new UpdateItemCommand({
      TableName: this.name,
      Key: { [ATTR.key]: { S: held.leaseKey } },
      UpdateExpression: expression.replace(/^SET /, 'SET #renewed = :now, '),
      ConditionExpression: '#owner = :me AND #counter = :seen',
      ExpressionAttributeNames: { '#owner': ATTR.owner, '#counter': ATTR.counter, '#renewed': ATTR.renewedAt, ...names },
      ExpressionAttributeValues: {
        ':now': { N: String(Date.now()) },
        ':me': { S: held.leaseOwner },
        ':seen': { N: String(held.leaseCounter) },
        ':next': { N: String(held.leaseCounter + 1) },
        ...values,
      },
    }));
  }

  private async conditional(command: ConditionalCommand): Promise<boolean> {
    try {
      await this.client.send(command as InstanceType<typeof UpdateItemCommand>);
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function checkKeySchema(name: string, table: TableDescription): void {
  const keys = table.KeySchema ?? [];
  const type = table.AttributeDefinitions?.find((d) => d.AttributeName === ATTR.key)?.AttributeType;
  if (keys.length !== 1 || keys[0]?.AttributeName !== ATTR.key || type !== 'S') {
    const found = keys.map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ') || 'none';
    throw new NotALeaseTableError(name, `its key is ${found}, a lease table's is ${ATTR.key} (string)`);
  }
}
