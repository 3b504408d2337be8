import {
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { EventName } from '../records/record.js';
import { RuntimeError } from '../util/errors.js';
import { sleep } from '../util/sleep.js';

export const DEMO_TABLE = 'ddbstream-demo';
/** The TTL attribute of the demo table: epoch seconds, as DynamoDB's TTL expects. */
export const DEMO_TTL_ATTRIBUTE = 'expiresAt';

export type DemoWrite = PutItemCommand | UpdateItemCommand | DeleteItemCommand;

/** One write to the demo table, with what it means and the stream record it produces. */
export interface DemoStep {
  caption: string;
  event: EventName;
  key: { pk: string; sk: string };
  write: DemoWrite;
}

export interface AppliedStep {
  step: DemoStep;
  /** 0-based position in the sequence. */
  index: number;
  /** When the write was acknowledged. */
  at: Date;
}

type Item = Record<string, NativeAttributeValue>;
type Values = Record<string, NativeAttributeValue>;

// Conditions pin each write to the event it is meant to produce: a put on an existing item
// would be a MODIFY, an update of a missing one an INSERT, a delete of a missing one nothing.
export function insertStep(table: string, caption: string, item: Item & { pk: string; sk: string }): DemoStep {
  return {
    caption,
    event: 'INSERT',
    key: { pk: item.pk, sk: item.sk },
    write: new PutItemCommand({
      TableName: table,
      Item: marshall(item, { removeUndefinedValues: true }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  };
}

/** `names` maps `#alias` to attribute names that DynamoDB reserves (such as `name` or `plan`). */
export function updateStep(
  table: string,
  caption: string,
  key: DemoStep['key'],
  expression: string,
  values: Values,
  names?: Record<string, string>,
): DemoStep {
  return {
    caption,
    event: 'MODIFY',
    key,
    write: new UpdateItemCommand({
      TableName: table,
      Key: marshall(key),
      UpdateExpression: expression,
      ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
      ...(names ? { ExpressionAttributeNames: names } : {}),
      ConditionExpression: 'attribute_exists(pk)',
    }),
  };
}

export function removeStep(table: string, caption: string, key: DemoStep['key']): DemoStep {
  return {
    caption,
    event: 'REMOVE',
    key,
    write: new DeleteItemCommand({ TableName: table, Key: marshall(key), ConditionExpression: 'attribute_exists(pk)' }),
  };
}

/**
 * Creates the demo table: users and their sessions under one partition key (`pk` = USER#id,
 * `sk` = PROFILE or SESSION#id), a NEW_AND_OLD_IMAGES stream, and TTL on `expiresAt`.
 */
export async function createDemoTable(
  client: DynamoDBClient,
  options: { tableName?: string; signal?: AbortSignal } = {},
): Promise<{ tableName: string; streamArn: string }> {
  const tableName = options.tableName ?? DEMO_TABLE;
  const send = { abortSignal: options.signal };
  let created;
  try {
    created = await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
      send,
    );
  } catch (error) {
    if ((error as Error).name === 'ResourceInUseException') {
      throw new RuntimeError(`table ${tableName} already exists at this endpoint: delete it, or run the demo on a fresh DynamoDB Local.`, { cause: error });
    }
    throw error;
  }
  const streamArn = created.TableDescription?.LatestStreamArn;
  if (!streamArn) throw new RuntimeError(`CreateTable ${tableName} returned no stream ARN: the endpoint does not support DynamoDB Streams.`);
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: DEMO_TTL_ATTRIBUTE } }),
    send,
  );
  return { tableName, streamArn };
}

/**
 * The scripted first run: one user's life in the table, chosen to show each kind of change the
 * tail view renders (scalar, nested map, string set, list, TTL-like and plain deletes).
 */
export function demoScript(tableName: string = DEMO_TABLE, now: Date = new Date()): DemoStep[] {
  const ada = { pk: 'USER#ada', sk: 'PROFILE' };
  const session = { pk: 'USER#ada', sk: 'SESSION#7f3c9a' };
  return [
    insertStep(tableName, 'Ada signs up', {
      ...ada,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      plan: 'free',
      profile: { city: 'London', timezone: 'Europe/London', links: { website: 'https://ada.example.com' } },
      tags: new Set(['newsletter', 'early-adopter']),
      addresses: [{ label: 'home', line1: "12 St James's Square", city: 'London', postcode: 'SW1Y 4JH' }],
      loginCount: 0,
      createdAt: now.toISOString(),
    }),
    updateStep(tableName, 'Ada changes her email', ada, 'SET email = :email, emailVerified = :verified', {
      ':email': 'ada@analytical-engine.example',
      ':verified': false,
    }),
    updateStep(
      tableName,
      'Ada edits her profile: moves to Paris, links GitHub (nested map)',
      ada,
      'SET profile.city = :city, profile.#tz = :tz, profile.links.github = :github',
      { ':city': 'Paris', ':tz': 'Europe/Paris', ':github': 'https://github.com/ada' },
      { '#tz': 'timezone' },
    ),
    updateStep(tableName, 'Ada joins the beta (tag added to a string set)', ada, 'ADD tags :tags', {
      ':tags': new Set(['beta']),
    }),
    updateStep(tableName, 'Ada leaves the newsletter (tag removed)', ada, 'DELETE tags :tags', {
      ':tags': new Set(['newsletter']),
    }),
    updateStep(tableName, 'Ada adds a work address (a list grows)', ada, 'SET addresses = list_append(addresses, :more)', {
      ':more': [{ label: 'work', line1: '5 Rue de Rivoli', city: 'Paris', postcode: '75004' }],
    }),
    insertStep(tableName, `Ada logs in: a session that expires in 30 minutes (TTL on ${DEMO_TTL_ATTRIBUTE})`, {
      ...session,
      device: 'Firefox on macOS',
      createdAt: now.toISOString(),
      [DEMO_TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + 30 * 60,
    }),
    removeStep(tableName, "Ada's session expires (a TTL-like delete)", session),
    removeStep(tableName, 'Ada closes her account (item deleted)', ada),
  ];
}

/**
 * Applies the steps one by one, `intervalMs` apart, yielding each once DynamoDB has acknowledged
 * it. Ends quietly when `signal` aborts, so a `for await` loop simply stops.
 */
export async function* applySteps(
  client: DynamoDBClient,
  steps: Iterable<DemoStep>,
  options: { intervalMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<AppliedStep, void, undefined> {
  const { intervalMs = 0, signal } = options;
  let index = 0;
  for (const step of steps) {
    if (index > 0 && intervalMs > 0) await sleep(intervalMs, signal);
    if (signal?.aborted) return;
    try {
      // The union is fine at run time; the overloads of send() are per command type.
      await client.send(step.write as PutItemCommand, { abortSignal: signal });
    } catch (error) {
      if (signal?.aborted) return;
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        throw new RuntimeError(
          `demo write "${step.caption}" found the table in an unexpected state: run the demo on a fresh DynamoDB Local.`,
          { cause: error },
        );
      }
      throw error;
    }
    yield { step, index, at: new Date() };
    index += 1;
  }
}
