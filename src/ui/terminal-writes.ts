/** The part of a TTY stream's native handle that decides whether its writes block. */
interface TtyHandle {
  setBlocking?: (blocking: boolean) => unknown;
}

/**
 * Node writes to a terminal synchronously on Unix: a terminal that cannot keep up (a slow SSH
 * link, a paused terminal) would stop the whole process, the reader included, and the view would
 * drift behind the stream with nothing to show for it. With non-blocking writes the output waits
 * in the stream's buffer instead, the view sees it there (`terminalBacklog`) and holds records in
 * its bounded queue, where waiting and dropping are counted.
 *
 * Node's own handle method does the switch (libuv gives a terminal its own file description, so
 * other processes on the same terminal are not affected). Returns the function that puts the
 * stream back; a stream that is not a terminal, or has no such handle, is left as it is.
 */
export function writeTerminalWithoutBlocking(stream: NodeJS.WriteStream): () => void {
  const handle = (stream as unknown as { _handle?: TtyHandle })._handle;
  if (!stream.isTTY || typeof handle?.setBlocking !== 'function') return () => undefined;
  handle.setBlocking(false);
  return () => {
    handle.setBlocking?.(true);
  };
}

/** Bytes written to the stream that the terminal has not taken yet. */
export function terminalBacklog(stream: NodeJS.WritableStream): number {
  return (stream as Partial<NodeJS.WriteStream>).writableLength ?? 0;
}
