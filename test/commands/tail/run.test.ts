import { describe, expect, it } from 'vitest';
import { chooseFormat } from '../../../src/commands/tail/run.js';
import { UsageError } from '../../../src/util/errors.js';

describe('chooseFormat', () => {
  it('defaults to the interactive view on a terminal and to NDJSON in a pipe', () => {
    expect(chooseFormat(undefined, true, true)).toBe('pretty');
    expect(chooseFormat(undefined, false, true)).toBe('ndjson');
    expect(chooseFormat(undefined, false, false)).toBe('ndjson');
  });

  it('falls back to plain text on a terminal whose stdin is not one (no keys to read)', () => {
    expect(chooseFormat(undefined, true, false)).toBe('plain');
  });

  it('keeps an explicit format, but refuses the interactive view without a terminal', () => {
    expect(chooseFormat('plain', true, true)).toBe('plain');
    expect(chooseFormat('raw', false, false)).toBe('raw');
    expect(() => chooseFormat('pretty', false, true)).toThrow(UsageError);
    expect(() => chooseFormat('pretty', false, true)).toThrow(/stdout is not one/);
    expect(() => chooseFormat('pretty', true, false)).toThrow(/stdin is not one/);
  });
});
