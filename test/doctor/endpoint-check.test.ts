import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openClients } from '../../src/aws/open-clients.js';
import { endpointCheck, endpointSources } from '../../src/doctor/endpoint-check.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';

let fake: FakeStreams;
/** Accepts connections and never answers: an endpoint behind a black hole. */
let silent: Server;
const silentSockets = new Set<Socket>();
let silentUrl: string;

beforeAll(async () => {
  fake = await startFakeStreams();
  silent = createServer((socket) => silentSockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(async () => {
  await fake?.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});
afterEach(() => {
  vi.useRealTimers();
});

/** A port nothing listens on: one that was just free. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('where the endpoints come from', () => {
  it('takes --endpoint-url for both services', () => {
    const sources = endpointSources({ endpointUrl: 'http://localhost:8000' }, { AWS_ENDPOINT_URL_DYNAMODB: 'http://other:1' });
    expect(sources.streams).toEqual({ url: 'http://localhost:8000', source: '--endpoint-url' });
    expect(sources.tables).toEqual({ url: 'http://localhost:8000', source: '--endpoint-url' });
  });

  it('takes each service\'s own variable before AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://streams:2', AWS_ENDPOINT_URL_DYNAMODB: 'http://tables:3' };
    const sources = endpointSources({}, env);
    expect(sources.streams).toEqual({ url: 'http://streams:2', source: 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS' });
    expect(sources.tables).toEqual({ url: 'http://tables:3', source: 'AWS_ENDPOINT_URL_DYNAMODB' });
  });

  it('gives DynamoDB the streams endpoint when it has none of its own, and AWS\'s when neither has one', () => {
    expect(endpointSources({}, { AWS_ENDPOINT_URL: 'http://all:1' }).tables).toEqual({ url: 'http://all:1', source: 'AWS_ENDPOINT_URL, as for DynamoDB Streams' });
    expect(endpointSources({}, {}).tables).toEqual({ url: undefined, source: 'AWS, for the region' });
  });
});

describe('the endpoint check', () => {
  it('says the fake endpoint answers, and how fast', async () => {
    const clients = openClients({ endpointUrl: fake.endpoint }, {});
    try {
      const result = await endpointCheck('DynamoDB Streams', { url: fake.endpoint, source: '--endpoint-url' }, clients, 'us-east-1');
      expect(result.status).toBe('ok');
      expect(result.detail).toMatch(new RegExp(`^DynamoDB Streams ${fake.endpoint} \\(from --endpoint-url\\) answers in \\d+ ms$`));
    } finally {
      clients.destroy();
    }
  });

  it('fails at once on a port nobody listens on, with what to do', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const clients = openClients({ endpointUrl: url }, {});
    try {
      const result = await endpointCheck('DynamoDB Streams', { url, source: '--endpoint-url' }, clients, 'us-east-1');
      expect(result).toMatchObject({ status: 'fail', required: true, advice: 'start DynamoDB Local (e.g. `ddbstream local`) or fix the endpoint URL' });
      expect(result.detail).toMatch(/does not answer: ECONNREFUSED$/);
    } finally {
      clients.destroy();
    }
  });

  it('gives up on an endpoint that never answers after 3 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clients = openClients({ endpointUrl: silentUrl }, {});
    try {
      const pending = endpointCheck('DynamoDB', { url: silentUrl, source: 'AWS_ENDPOINT_URL_DYNAMODB' }, clients, 'us-east-1');
      await vi.advanceTimersByTimeAsync(3_000);
      const result = await pending;
      // DynamoDB only matters for table names: its failure does not fail doctor by itself.
      expect(result).toMatchObject({ name: 'dynamodb-endpoint', status: 'fail', required: false });
      expect(result.detail).toMatch(/does not answer: no answer within 3 s$/);
    } finally {
      clients.destroy();
    }
  });

  it('names AWS\'s own endpoint for the region when none is configured, and skips without a region', async () => {
    const clients = openClients({}, {});
    try {
      const skipped = await endpointCheck('DynamoDB Streams', { url: undefined, source: 'AWS, for the region' }, clients, undefined);
      expect(skipped).toMatchObject({ status: 'skip', detail: 'DynamoDB Streams: needs a region' });
    } finally {
      clients.destroy();
    }
  });
});
