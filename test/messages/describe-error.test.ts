import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/messages/describe-error.js';
import { RuntimeError, UsageError } from '../../src/util/errors.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('describeError', () => {
  it('is one line for known errors, with no stack', () => {
    expect(describeError(new UsageError('bad --from'), false)).toBe('ddbstream: bad --from');
    expect(describeError(new RuntimeError('gone'), false)).toBe('ddbstream: gone');
  });

  it('adds a --debug hint for unexpected errors, and the stack with --debug, redacted', () => {
    const error = new Error(`boom with secretAccessKey=${SECRET}`);
    expect(describeError(error, false).split('\n')).toHaveLength(2);
    expect(describeError(error, false)).toMatch(/--debug/);
    const debug = describeError(error, true);
    expect(debug).toMatch(/\n\s+at /);
    expect(debug).not.toContain(SECRET);
  });
});

/** An AWS SDK error as the client throws it, with a message the service chose. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

const controls = (text: string): string[] =>
  [...text].filter((c) => /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(c) && c !== '\n').map((c) => c.codePointAt(0)!.toString(16));

describe('describeError: what reaches the terminal', () => {
  it('escapes control and bidi characters in a name the user gave', () => {
    const text = describeError(new UsageError('no stream for table "Users\u001b]0;owned\u0007\u202e"'), false);
    expect(text).toBe('ddbstream: no stream for table "Users\\u001b]0;owned\\u0007\\u202e"');
  });

  it('escapes them in a message from AWS, known or not, with and without --debug', () => {
    const notFound = awsError('ResourceNotFoundException', 'Requested resource not found: Table: T\u009b2J not found');
    expect(describeError(notFound, false)).toBe(
      'ddbstream: not found: Requested resource not found: Table: T\\u009b2J not found. Check the name, --region and --profile.',
    );
    const odd = new Error('odd \u001b[1mbold\r\u0085');
    for (const debug of [false, true]) expect(controls(describeError(odd, debug))).toEqual([]);
    expect(describeError(odd, false).split('\n')[0]).toBe('ddbstream: odd \\u001b[1mbold\\u000d\\u0085');
  });

  it('keeps the line breaks between its own lines', () => {
    expect(describeError(new RuntimeError('gone'), false)).toBe('ddbstream: gone');
    expect(describeError(new Error('boom'), false)).toBe('ddbstream: boom\nRun again with --debug for details.');
    expect(describeError(new Error('boom'), true).split('\n').length).toBeGreaterThan(2);
  });
});
