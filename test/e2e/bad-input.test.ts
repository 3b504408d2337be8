import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';

/**
 * The bad-input matrix: every mistake a user can make gets one or two lines on stderr that say
 * what is wrong and what to do, the right exit code (2 usage, 1 runtime), no stack trace, and an
 * answer within about ten seconds.
 */
interface Case {
  name: string;
  args: (ctx: Context) => string[];
  code: 1 | 2;
  message: RegExp;
  env?: (ctx: Context) => NodeJS.ProcessEnv;
}

interface Context {
  endpoint: string;
  dir: string;
}

const CASES: Case[] = [
  { name: 'unknown option', args: () => ['export', 'Users', '--bogus'], code: 2, message: /unknown option '--bogus'/ },
  { name: 'unknown command', args: () => ['exprot', 'Users'], code: 2, message: /unknown command 'exprot'/ },
  { name: 'missing stream argument', args: () => ['export'], code: 2, message: /missing required argument 'stream'/ },
  { name: 'missing table', args: (c) => ['export', 'Nope', '--endpoint-url', c.endpoint], code: 1, message: /table "Nope" not found.*--region/ },
  { name: 'table without a stream', args: (c) => ['shards', 'NoStream', '--endpoint-url', c.endpoint], code: 1, message: /has no stream.*aws dynamodb update-table --table-name NoStream --stream-specification/ },
  { name: 'malformed ARN', args: () => ['tail', 'arn:aws:dynamodb:us-east-1:1:table/Users'], code: 2, message: /not a DynamoDB stream ARN/ },
  { name: 'table name with bad characters', args: () => ['export', 'Users table'], code: 2, message: /neither a table name/ },
  { name: 'unreachable endpoint', args: () => ['export', 'Users', '--endpoint-url', 'http://127.0.0.1:1'], code: 1, message: /cannot reach the endpoint/ },
  { name: 'malformed --endpoint-url', args: () => ['export', 'Users', '--endpoint-url', 'http//host:1'], code: 2, message: /^ddbstream: --endpoint-url "http\/\/host:1" is not an endpoint URL: use http:\/\/HOST:PORT or https:\/\/HOST/ },
  { name: 'malformed AWS_ENDPOINT_URL', args: () => ['streams'], env: () => cleanEnv({ AWS_ENDPOINT_URL: 'localhost' }), code: 2, message: /^ddbstream: AWS_ENDPOINT_URL "localhost" is not an endpoint URL/ },
  {
    name: 'a --profile no file has',
    args: () => ['streams', '--profile', 'nope', '--region', 'eu-west-1'],
    code: 2,
    message: /^ddbstream: profile "nope" \(--profile\) is not in \/nonexistent\/ddbstream-test-config nor \/nonexistent\/ddbstream-test-credentials\. /,
  },
  {
    name: 'an AWS_PROFILE no file has',
    args: () => ['streams', '--region', 'eu-west-1'],
    env: (c) => cleanEnv({ AWS_PROFILE: 'nope', AWS_CONFIG_FILE: join(c.dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(c.dir, 'aws-credentials') }),
    code: 2,
    message: /^ddbstream: profile "nope" \(AWS_PROFILE\) is not in .*aws-config nor .*aws-credentials\./,
  },
  {
    // The SDK warns on the console about AWS_PROFILE and keys set together: that must not reach the user.
    name: 'a profile without credentials, keys in the environment too',
    args: (c) => ['streams', '--profile', 'dev', '--endpoint-url', c.endpoint.replace('127.0.0.1', 'localhost.invalid')],
    env: (c) => cleanEnv({
      AWS_CONFIG_FILE: join(c.dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(c.dir, 'aws-credentials'),
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'secret',
    }),
    code: 1,
    message: /^ddbstream: no AWS credentials found\./,
  },
  { name: 'unknown region', args: () => ['export', 'Users', '--region', 'moon-base'], code: 2, message: /--region "moon-base" is not an AWS region name/ },
  {
    name: 'no credentials for real AWS',
    args: () => ['export', 'Users', '--region', 'eu-west-1'],
    code: 1,
    message: /no AWS credentials found.*--profile/,
  },
  { name: 'bad --from', args: (c) => ['export', 'Users', '--from', 'yesterday', '--endpoint-url', c.endpoint], code: 2, message: /--from.*trim-horizon.*latest/ },
  { name: 'bad --until', args: (c) => ['export', 'Users', '--until', 'soon', '--endpoint-url', c.endpoint], code: 2, message: /--until/ },
  { name: '--until before --from', args: (c) => ['export', 'Users', '--from', '1h', '--until', '2h', '--endpoint-url', c.endpoint], code: 2, message: /is before --from/ },
  { name: '--from with --scan', args: (c) => ['export', 'Users', '--scan', '--from', '2h', '--endpoint-url', c.endpoint], code: 2, message: /^ddbstream: --from and --scan do not go together: --scan starts the stream at the moment the scan began\. Drop --from \(or drop --scan to read from "2h"\)\.\n$/ },
  { name: 'replay --from with --scan', args: (c) => ['replay', 'Users', '--scan', '--from', 'trim-horizon', '--handler', join(c.dir, 'handler.mjs'), '--endpoint-url', c.endpoint], code: 2, message: /^ddbstream: --from and --scan do not go together: .*Drop --from \(or drop --scan to read from "trim-horizon"\)\.\n$/ },
  { name: 'invalid --filter JSON', args: (c) => ['export', 'Users', '--filter', '{"eventName":', '--endpoint-url', c.endpoint], code: 2, message: /--filter/ },
  { name: 'unknown --filter operator', args: (c) => ['export', 'Users', '--filter', '{"dynamodb":{"NewImage":{"n":{"N":[{"numerik":[">",1]}]}}}}', '--endpoint-url', c.endpoint], code: 2, message: /numerik/ },
  { name: 'more than 5 --filter patterns', args: (c) => ['export', 'Users', ...Array.from({ length: 6 }, () => ['--filter', '{"eventName":["INSERT"]}']).flat(), '--endpoint-url', c.endpoint], code: 2, message: /5/ },
  { name: 'bad --event', args: (c) => ['export', 'Users', '--event', 'UPSERT', '--endpoint-url', c.endpoint], code: 2, message: /UPSERT/ },
  { name: 'bad --key', args: (c) => ['export', 'Users', '--key', 'pk', '--endpoint-url', c.endpoint], code: 2, message: /--key/ },
  { name: '-n not a positive integer', args: (c) => ['export', 'Users', '-n', '0', '--endpoint-url', c.endpoint], code: 2, message: /-n\/--max-records "0" is not a positive whole number/ },
  { name: '-n not a number', args: (c) => ['export', 'Users', '-n', 'ten', '--endpoint-url', c.endpoint], code: 2, message: /not a positive whole number/ },
  { name: 'bad --concurrency', args: (c) => ['export', 'Users', '--concurrency', '0', '--endpoint-url', c.endpoint], code: 2, message: /--concurrency/ },
  { name: 'bad --on-trimmed', args: (c) => ['export', 'Users', '--on-trimmed', 'ignore', '--endpoint-url', c.endpoint], code: 2, message: /--on-trimmed/ },
  { name: '-o into a folder that does not exist', args: (c) => ['export', 'Users', '-o', join(c.dir, 'missing', 'out.ndjson'), '--endpoint-url', c.endpoint], code: 2, message: /cannot write .*does not exist/ },
  { name: '--raw with --diff', args: (c) => ['export', 'Users', '--raw', '--diff', '--endpoint-url', c.endpoint], code: 2, message: /--raw or --diff/ },
  { name: 'corrupt checkpoint', args: (c) => ['export', 'Users', '--checkpoint', join(c.dir, 'corrupt.json'), '--endpoint-url', c.endpoint], code: 2, message: /corrupt or truncated/ },
  { name: 'checkpoint truncated to nothing', args: (c) => ['tail', 'Users', '--checkpoint', join(c.dir, 'empty.json'), '--endpoint-url', c.endpoint], code: 2, message: /empty\.json is corrupt or truncated.*move it away/ },
  { name: 'checkpoint of another stream', args: (c) => ['export', 'Users', '--checkpoint', join(c.dir, 'orders.json'), '--endpoint-url', c.endpoint], code: 2, message: /belongs to another stream \(arn:aws:dynamodb:.*table\/Orders\/stream\/.*different --checkpoint file/ },
  { name: 'a file that is not a checkpoint', args: (c) => ['export', 'Users', '--checkpoint', join(c.dir, 'package.json'), '--endpoint-url', c.endpoint], code: 2, message: /package\.json is not a ddbstream checkpoint/ },
  { name: 'bad tail --format', args: () => ['tail', 'Users', '--format', 'fancy'], code: 2, message: /fancy/ },
  { name: 'tail --format pretty in a pipe', args: (c) => ['tail', 'Users', '--format', 'pretty', '--endpoint-url', c.endpoint], code: 2, message: /needs a terminal/ },
  { name: 'local --port out of range', args: () => ['local', '--port', '65536'], code: 2, message: /option '--port <number>' argument '65536' is invalid\. expected a port number from 0 to 65535/ },
  { name: 'demo --port not a number', args: () => ['demo', '--port', '8e3'], code: 2, message: /option '--port <port>' argument '8e3' is invalid\. expected a port number from 0 to 65535/ },
];

describe('bad input', () => {
  let fake: FakeStreams;
  const context: Context = { endpoint: '', dir: '' };
  const folder = useTempDir('ddbstream-bad-');

  beforeAll(async () => {
    fake = await startFakeStreams();
    fake.addTable({ tableName: 'Users', stream: { viewType: 'NEW_AND_OLD_IMAGES' } });
    fake.addTable({ tableName: 'NoStream' });
    context.endpoint = fake.endpoint;
    context.dir = folder.path;
    await writeFile(join(context.dir, 'corrupt.json'), '{"format":"ddbstream-checkpoint","stre');
    await writeFile(join(context.dir, 'empty.json'), '');
    await writeFile(join(context.dir, 'aws-config'), '[default]\nregion = eu-west-1\n\n[profile dev]\nregion = eu-west-1\n');
    await writeFile(join(context.dir, 'aws-credentials'), '[prod]\naws_access_key_id = AKIAEXAMPLEEXAMPLE34\naws_secret_access_key = secret\n');
    await writeFile(join(context.dir, 'package.json'), '{"name":"not-a-checkpoint"}');
    const orders = fake.addTable({ tableName: 'Orders', stream: { viewType: 'NEW_IMAGE' } }).streamArn!;
    await writeFile(join(context.dir, 'orders.json'), JSON.stringify({ format: 'ddbstream-checkpoint', version: 1, streamArn: orders, updatedAt: new Date().toISOString(), shards: {} }));
  });
  afterAll(() => fake.close());

  it('takes a bare host:port --endpoint-url as http://host:port', async () => {
    const hostPort = context.endpoint.replace(/^http:\/\//, '');
    const result = await runCli(['shards', 'Users', '--endpoint-url', hostPort], { env: cleanEnv() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^shardId-\S+\t\topen\t/m);
  });

  it.each(CASES)('$name → exit $code with one clear line', async (c) => {
    const result = await runCli(c.args(context), { env: c.env?.(context) ?? cleanEnv(), timeoutMs: 15_000 });
    expect(result.stderr).toMatch(c.message);
    expect(result.code).toBe(c.code);
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(result.durationMs).toBeLessThan(10_000);
  });
});
