import { describe, expect, it } from 'vitest';
import { describeUndecodable, warnUndecodable } from '../../src/messages/undecodable.js';
import { RuntimeError, exitCodeOf } from '../../src/util/errors.js';

function stderr(): { write: (text: string) => boolean; text: string } {
  const sink = { text: '', write: (text: string) => ((sink.text += text), true) };
  return sink;
}

describe('the undecodable warning', () => {
  it('counts records, in words for the output and for the handler', () => {
    expect(describeUndecodable(1, 'output')).toMatch(/^warning: 1 record holds a value of a type ddbstream does not know: written with the value as it came/);
    expect(describeUndecodable(1234, 'output')).toMatch(/^warning: 1,234 records hold a value/);
    expect(describeUndecodable(2, 'handler')).toBe(
      'warning: 2 records hold a value of a type ddbstream does not know: the handler got the value as the stream sent it; a newer ddbstream may decode it.',
    );
  });

  it('ends a run with exit 1, its message the warning; nothing when every record was decoded', () => {
    const context = { signal: new AbortController().signal, stderr: stderr() };
    expect(() => warnUndecodable({ records: 0 }, context as never)).not.toThrow();
    let thrown: unknown;
    try {
      warnUndecodable({ records: 3 }, context as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RuntimeError);
    expect(exitCodeOf(thrown)).toBe(1);
    expect((thrown as Error).message).toBe(describeUndecodable(3, 'output'));
    expect(context.stderr.text).toBe('');
  });

  it('after an interruption, writes the warning itself and leaves the exit code to the interruption', () => {
    const context = { signal: AbortSignal.abort(), stderr: stderr() };
    expect(() => warnUndecodable({ records: 1 }, context as never)).not.toThrow();
    expect(context.stderr.text).toBe(`ddbstream: ${describeUndecodable(1, 'output')}\n`);
  });
});
