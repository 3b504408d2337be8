import { describe, expect, it, vi } from 'vitest';
import { terminalBacklog, writeTerminalWithoutBlocking } from '../../src/ui/terminal-writes.js';

const stream = (fields: object): NodeJS.WriteStream => fields as unknown as NodeJS.WriteStream;

describe('terminal writes', () => {
  it('makes a terminal\'s writes non-blocking for the view and puts them back after', () => {
    const setBlocking = vi.fn();
    const restore = writeTerminalWithoutBlocking(stream({ isTTY: true, _handle: { setBlocking } }));
    expect(setBlocking).toHaveBeenLastCalledWith(false);
    restore();
    expect(setBlocking).toHaveBeenLastCalledWith(true);
    expect(setBlocking).toHaveBeenCalledTimes(2);
  });

  it('leaves a stream that is not a terminal, or has no such handle, as it is', () => {
    const setBlocking = vi.fn();
    writeTerminalWithoutBlocking(stream({ isTTY: false, _handle: { setBlocking } }))();
    expect(setBlocking).not.toHaveBeenCalled();
    expect(() => writeTerminalWithoutBlocking(stream({ isTTY: true }))()).not.toThrow();
  });

  it('reads the backlog from what the stream still holds', () => {
    expect(terminalBacklog(stream({ writableLength: 1234 }))).toBe(1234);
    expect(terminalBacklog(stream({}))).toBe(0);
  });
});
