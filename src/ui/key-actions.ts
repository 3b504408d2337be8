/** What a key does in the interactive view. */
export type KeyAction = 'quit' | 'pause' | 'mode' | 'clear';

const ACTIONS: Readonly<Record<string, KeyAction>> = { q: 'quit', ' ': 'pause', d: 'mode', c: 'clear' };

/**
 * The actions of one read from the terminal, in the order typed. Keys typed quickly or pasted
 * arrive together (`d` then space as `"d "`), and each of them must act, not only a read of one
 * key. Ctrl-C comes as its own read (ink names it `c` with `ctrl`); it quits whatever else came.
 * Escape sequences (arrows, function keys) arrive as reads of their own and do nothing here.
 */
export function keyActions(input: string, ctrl: boolean): KeyAction[] {
  if (ctrl) return input === 'c' ? ['quit'] : [];
  const actions: KeyAction[] = [];
  for (const char of input) {
    const action = ACTIONS[char];
    if (action) actions.push(action);
  }
  return actions;
}
