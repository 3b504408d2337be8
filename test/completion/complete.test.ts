import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/program.js';
import type { CommandContext } from '../../src/io/command-context.js';
import { commandModel } from '../../src/completion/command-model.js';
import { complete } from '../../src/completion/complete.js';

/** The real program's model: completion must follow the commands as they are declared. */
function model() {
  const stream = () => new PassThrough() as unknown as NodeJS.WriteStream;
  const context: CommandContext = {
    stdout: stream(), stderr: stream(), stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    env: {}, signal: new AbortController().signal, debug: false,
  };
  return commandModel(buildProgram(context));
}

const words = (line: string[]) => {
  const result = complete(model(), line);
  if (result.kind !== 'words') throw new Error(`expected words, got ${result.kind}`);
  return result.words;
};

describe('completing a ddbstream command line', () => {
  it('offers the commands, not the hidden one nor help', () => {
    expect(words([''])).toEqual(['streams', 'shards', 'tail', 'export', 'replay', 'leases', 'demo', 'local', 'doctor', 'completion']);
    expect(words(['s'])).toEqual(['streams', 'shards']);
  });

  it('offers a command\'s options with the program\'s own', () => {
    const options = words(['export', '--']);
    expect(options).toEqual(expect.arrayContaining(['--output', '--raw', '--from', '--on-trimmed', '--region', '--endpoint-url', '--help', '--debug']));
    expect(words(['export', '--on'])).toEqual(['--on-trimmed']);
    expect(words(['tail', '-'])).toEqual(expect.arrayContaining(['-n', '--max-records', '-h']));
  });

  it('offers the values of enumerated options', () => {
    expect(words(['tail', '--format', ''])).toEqual(['pretty', 'plain', 'ndjson', 'raw']);
    expect(words(['tail', 'Users', '--format', 'n'])).toEqual(['ndjson']);
    expect(words(['export', 'Users', '--from', ''])).toEqual(['trim-horizon', 'latest']);
    expect(words(['replay', '--on-trimmed', ''])).toEqual(['fail', 'skip']);
    expect(words(['export', '--event', 'M'])).toEqual(['MODIFY']);
    expect(words(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes --option=value as the whole word, and as bash splits it at "="', () => {
    expect(words(['tail', '--format=p'])).toEqual(['--format=pretty', '--format=plain']);
    expect(words(['tail', '--format', '=', 'p'])).toEqual(['pretty', 'plain']);
    expect(words(['tail', '--format', '='])).toEqual(['=pretty', '=plain', '=ndjson', '=raw']);
  });

  it('hands file options to the shell\'s file name completion', () => {
    expect(complete(model(), ['export', 'Users', '-o', ''])).toEqual({ kind: 'files' });
    expect(complete(model(), ['replay', '--handler', './h'])).toEqual({ kind: 'files' });
    expect(complete(model(), ['export', '--checkpoint', ''])).toEqual({ kind: 'files' });
    expect(complete(model(), ['local', '--db-path', ''])).toEqual({ kind: 'dirs' });
  });

  it('asks for table names for the stream argument, with the connection options of the line', () => {
    expect(complete(model(), ['tail', '--region', 'eu-west-1', '--endpoint-url=http://localhost:8000', 'Us'])).toEqual({
      kind: 'tables', prefix: 'Us', aws: { region: 'eu-west-1', endpointUrl: 'http://localhost:8000' },
    });
    expect(complete(model(), ['replay', '--handler', 'h.ts', ''])).toMatchObject({ kind: 'tables', prefix: '' });
    expect(complete(model(), ['doctor', ''])).toMatchObject({ kind: 'tables' });
  });

  it('offers nothing where nothing fits: free values, a second stream, an unknown command', () => {
    expect(words(['export', '-n', ''])).toEqual([]);
    expect(words(['export', 'Users', ''])).toEqual([]);
    expect(words(['nosuch', ''])).toEqual([]);
    expect(words(['--debug', 'sh'])).toEqual(['shards']);
  });
});
