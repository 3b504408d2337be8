import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';

/**
 * Credentials never reach the terminal, --debug included: not the access key id, the secret, the
 * session token, nor the request signature, even when a server sends the signed request back in
 * its error (AWS does: a signature mismatch quotes the canonical request, headers and all).
 */
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAREDACTIONTEST7Q2Z',
  AWS_SECRET_ACCESS_KEY: 'rEdAcT/mE+sEcReT+wJalrXUtnFEMIK7MDENGbPxRfiCY',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjRedactionTestToken//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+SeSsIoN=',
};

/** Every signature the servers saw, to look for in the output. */
const signatures = new Set<string>();

function noteSignature(headers: IncomingHttpHeaders): void {
  const signature = /Signature=([0-9a-f]+)/.exec(String(headers.authorization ?? ''))?.[1];
  if (signature) signatures.add(signature);
}

type Quote = 'headers' | 'bare';

/**
 * Answers every request with `status` and an error that quotes the request: its headers as a
 * canonical string, or (`bare`) the token and key id alone, with nothing naming them.
 */
async function rejectingServer(status: number, type: string, json: boolean, quote: Quote): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => {
    noteSignature(req.headers);
    req.resume();
    req.on('end', () => {
      const quoted = Object.entries(req.headers).map(([name, value]) => `${name}:${String(value)}`).join('\n');
      const message = quote === 'bare'
        ? `The security token ${String(req.headers['x-amz-security-token'])} of ${/Credential=([^/]+)/.exec(String(req.headers.authorization))?.[1]} is invalid.`
        : `The request signature we calculated does not match the signature you provided. The Canonical String for this request should have been\n'POST\n/\n\n${quoted}'`;
      const body = json
        ? JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message })
        : `<html><body><h1>${type}</h1><pre>${message}</pre></body></html>`;
      res.writeHead(status, { 'content-type': json ? 'application/x-amz-json-1.0' : 'text/html', 'x-amzn-requestid': 'req-1' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function expectNoCredentials(result: CliResult): void {
  const output = result.stdout + result.stderr;
  for (const [name, value] of Object.entries(CREDENTIALS)) expect(output, name).not.toContain(value);
  // Parts of them are no better: the secret's and the token's first 16 characters.
  expect(output).not.toContain(CREDENTIALS.AWS_SECRET_ACCESS_KEY.slice(0, 16));
  expect(output).not.toContain(CREDENTIALS.AWS_SESSION_TOKEN.slice(0, 16));
  for (const signature of signatures) expect(output, 'a request signature').not.toContain(signature);
  expect(output).not.toMatch(/Signature=[0-9a-f]{8}/);
}

let fake: FakeStreams;
const servers: Server[] = [];
const rejecting: Record<string, string> = {};

beforeAll(async () => {
  fake = await startFakeStreams();
  fake.addTable({ tableName: 'Users', stream: { shards: 1 } });
  const variants = [
    ['signature', 403, 'InvalidSignatureException', true, 'headers'],
    ['unrecognized', 400, 'UnrecognizedClientException', true, 'bare'],
    ['html', 403, 'AccessDenied', false, 'headers'],
  ] as const;
  for (const [name, status, type, json, quote] of variants) {
    const { server, endpoint } = await rejectingServer(status, type, json, quote);
    servers.push(server);
    rejecting[name] = endpoint;
  }
});

afterAll(async () => {
  await fake.close();
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
});

const run = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCli([...args, '--debug'], { env: cleanEnv({ ...CREDENTIALS, AWS_REGION: 'us-east-1', ...extra }), timeoutMs: 20_000 });

describe('credentials in output', () => {
  it.each([
    ['streams'],
    ['shards', 'Users'],
    ['export', 'Users'],
  ])('the fake endpoint failing with 500s until the retries give up: %s --debug', async (...args) => {
    fake.faults.clear().internalErrors(1_000);
    const result = await run([...args, '--endpoint-url', fake.endpoint], { DDBSTREAM_RETRY_GIVE_UP_MS: '300' });
    fake.faults.clear();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /); // --debug did show the details
    expectNoCredentials(result);
  });

  it.each(['signature', 'unrecognized', 'html'])('an endpoint that rejects the request and quotes it back (%s), --debug', async (variant) => {
    for (const args of [['streams'], ['shards', 'Users'], ['export', 'Users'], ['tail', 'Users', '--format', 'ndjson']]) {
      const result = await run([...args, '--endpoint-url', rejecting[variant]!]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(/\n\s+at /);
      expect(signatures.size).toBeGreaterThan(0);
      expectNoCredentials(result);
    }
  });
});
