import { describe, expect, it } from 'vitest';
import { keyActions } from '../../src/ui/key-actions.js';

describe('keyActions', () => {
  it('maps each key of the view to its action', () => {
    expect(keyActions('q', false)).toEqual(['quit']);
    expect(keyActions(' ', false)).toEqual(['pause']);
    expect(keyActions('d', false)).toEqual(['mode']);
    expect(keyActions('c', false)).toEqual(['clear']);
    expect(keyActions('c', true)).toEqual(['quit']);
  });

  it('acts on every key of a read that carries several, in the order typed', () => {
    expect(keyActions('d ', false)).toEqual(['mode', 'pause']);
    expect(keyActions(' dd c', false)).toEqual(['pause', 'mode', 'mode', 'pause', 'clear']);
  });

  it('ignores keys the view does not use, and other control keys', () => {
    expect(keyActions('xyz', false)).toEqual([]);
    expect(keyActions('', false)).toEqual([]);
    expect(keyActions('d', true)).toEqual([]);
  });
});
