import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../src/util/shell-quote.js';

describe('shellQuote', () => {
  it('leaves plain words alone', () => {
    expect(shellQuote('./handler.ts')).toBe('./handler.ts');
    expect(shellQuote('--max-retries')).toBe('--max-retries');
    expect(shellQuote('pk=alice')).toBe('pk=alice');
  });

  it('quotes what a shell would split, expand or strip', () => {
    expect(shellQuote('my failures.ndjson')).toBe(`'my failures.ndjson'`);
    expect(shellQuote('{"eventName":["INSERT"]}')).toBe(`'{"eventName":["INSERT"]}'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe(`''`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
  });

  it('round-trips through a real shell', () => {
    const argv = ['a b', "it's", '$HOME', '`x`', '{"k": ["v"]}', '', 'back\\slash', 'new\nline', '*'];
    const printed = execFileSync('sh', ['-c', `printf '%s\\0' ${shellCommand(argv)}`], { encoding: 'utf8' });
    expect(printed.split('\0').slice(0, -1)).toEqual(argv);
  });
});
