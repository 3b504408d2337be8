import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { applySteps, createDemoTable, demoScript, DEMO_TABLE, type AppliedStep } from '../../src/demo/script.js';
import { liveSteps } from '../../src/demo/live.js';
import { RuntimeError } from '../../src/util/errors.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
// Seeded, so the live sequence is the same on every run.
import { seededRandom } from '../fake-streams/ids.js';

const local = useDynamoDbLocal();

async function collect(steps: AsyncGenerator<AppliedStep>): Promise<AppliedStep[]> {
  const applied: AppliedStep[] = [];
  for await (const step of steps) applied.push(step);
  return applied;
}

const image = (value: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined =>
  value ? unmarshall(value) : undefined;

describe('demo script', () => {
  it('produces one stream record per step, with the event each step announces', async () => {
    const { tableName, streamArn } = await createDemoTable(local.dynamodb);
    expect(tableName).toBe(DEMO_TABLE);
    const ttl = await local.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');

    // A clock in the future: DynamoDB Local runs TTL, and would delete a session whose expiry
    // has already passed before the script's own delete gets to it.
    const script = demoScript(tableName, new Date('2099-03-01T09:00:00Z'));
    const applied = await collect(applySteps(local.dynamodb, script));
    expect(applied.map((a) => a.index)).toEqual(script.map((_, i) => i));

    const records = await local.readStreamRecords(streamArn, script.length);
    expect(records).toHaveLength(script.length);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'MODIFY', 'MODIFY', 'MODIFY', 'INSERT', 'REMOVE', 'REMOVE']);
    expect(records.map((r) => r.eventName)).toEqual(script.map((s) => s.event));
    expect(records.map((r) => image(r.dynamodb?.Keys))).toEqual(script.map((s) => s.key));

    const [signUp, email, profile, tagAdded, tagRemoved, address, session, expired, closed] = records.map((r) => ({
      before: image(r.dynamodb?.OldImage),
      after: image(r.dynamodb?.NewImage),
    }));
    expect(signUp?.before).toBeUndefined();
    expect(signUp?.after).toMatchObject({ email: 'ada@example.com', tags: new Set(['newsletter', 'early-adopter']) });
    expect(email?.before?.email).toBe('ada@example.com');
    expect(email?.after?.email).toBe('ada@analytical-engine.example');
    expect(profile?.after?.profile).toEqual({
      city: 'Paris',
      timezone: 'Europe/Paris',
      links: { website: 'https://ada.example.com', github: 'https://github.com/ada' },
    });
    expect(tagAdded?.after?.tags).toEqual(new Set(['newsletter', 'early-adopter', 'beta']));
    expect(tagRemoved?.after?.tags).toEqual(new Set(['early-adopter', 'beta']));
    expect((address?.before?.addresses as unknown[]).length).toBe(1);
    expect((address?.after?.addresses as unknown[]).length).toBe(2);
    expect(session?.after?.expiresAt).toBe(Date.parse('2099-03-01T09:30:00Z') / 1000);
    expect(expired?.before?.sk).toBe('SESSION#7f3c9a');
    expect(expired?.after).toBeUndefined();
    expect(closed?.before).toMatchObject({ pk: 'USER#ada', email: 'ada@analytical-engine.example' });

    // A second run into the same table cannot silently turn the INSERT into a MODIFY.
    const again = collect(applySteps(local.dynamodb, demoScript(tableName).slice(1, 2)));
    await expect(again).rejects.toBeInstanceOf(RuntimeError);
    await expect(createDemoTable(local.dynamodb)).rejects.toThrow(`table ${DEMO_TABLE} already exists at this endpoint`);
  });

  it('keeps producing valid changes in live mode, each one a stream record', async () => {
    const { tableName, streamArn } = await createDemoTable(local.dynamodb, { tableName: local.tableName('live') });
    const steps = liveSteps(tableName, seededRandom(42));
    const batch = Array.from({ length: 150 }, () => steps.next().value);
    const applied = await collect(applySteps(local.dynamodb, batch));
    expect(applied).toHaveLength(150);

    const records = await local.readStreamRecords(streamArn, 150);
    expect(records.map((r) => r.eventName)).toEqual(batch.map((s) => s.event));
    expect(new Set(batch.map((s) => s.event))).toEqual(new Set(['INSERT', 'MODIFY', 'REMOVE']));
    expect(batch.every((s) => s.caption.length > 0 && s.caption.length <= 80)).toBe(true);
    for (const kind of [/signs up/, /logs in/, /plan/, /changes email/, /moves to/, /is tagged/, /loses the tag/, /opens a session/, /expires \(a TTL-like delete\)/, /closes the account/]) {
      expect(batch.some((s) => kind.test(s.caption)), String(kind)).toBe(true);
    }
  });

});

describe('demo pacing', () => {
  // Only the timing is under test here: fake timers, and a client that acknowledges each write at once.
  function pacedRun(options: { abortAfterSteps?: number; abortAtMs?: number }) {
    vi.useFakeTimers();
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const started = Date.now();
    const sentAt: number[] = [];
    const client = {
      send: async () => {
        sentAt.push(Date.now() - started);
        return {};
      },
    } as unknown as DynamoDBClient;
    const controller = new AbortController();
    if (options.abortAtMs !== undefined) setTimeout(() => controller.abort(), options.abortAtMs);
    const applied: number[] = [];
    const done = (async () => {
      for await (const step of applySteps(client, liveSteps('paced', seededRandom(7)), { intervalMs: 150, signal: controller.signal })) {
        applied.push(step.at.getTime() - started);
        if (applied.length === options.abortAfterSteps) controller.abort();
      }
      return Date.now() - started;
    })();
    return { sentAt, applied, endedAt: Promise.all([done, vi.runAllTimersAsync()]).then(([ms]) => ms) };
  }

  it('writes the steps --interval apart, and stops when the signal aborts', async () => {
    const run = pacedRun({ abortAfterSteps: 3 });
    expect(await run.endedAt).toBe(300);
    expect(run.sentAt).toEqual([0, 150, 300]);
    expect(run.applied).toEqual([0, 150, 300]);
  });

  it('an abort during the pause ends it at once, with no further write', async () => {
    const run = pacedRun({ abortAtMs: 200 });
    expect(await run.endedAt).toBe(200);
    expect(run.sentAt).toEqual([0, 150]);
  });
});
