import { describe, expect, it } from 'vitest';
import { exitCodeOf, InterruptedError, OutputClosedError, RuntimeError, UsageError } from '../../src/util/errors.js';

describe('exitCodeOf', () => {
  it('takes the code the error classes carry', () => {
    expect(exitCodeOf(new UsageError('bad'))).toBe(2);
    expect(exitCodeOf(new RuntimeError('failed'))).toBe(1);
    expect(exitCodeOf(new OutputClosedError())).toBe(0);
    expect(exitCodeOf(new InterruptedError('SIGTERM'))).toBe(143);
  });

  it('takes usage-or-runtime from typed errors of lower layers, and nothing else from foreign ones', () => {
    class BadFile extends Error {
      readonly exitCode = 2;
    }
    expect(exitCodeOf(new BadFile('x'))).toBe(2);
    // A child process's exit status on an error is no verdict about the user's input.
    expect(exitCodeOf(Object.assign(new Error('child failed'), { exitCode: 127 }))).toBe(1);
    expect(exitCodeOf({ exitCode: 2 })).toBe(1);
    expect(exitCodeOf(new Error('plain'))).toBe(1);
  });
});
