import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputClosedError, RuntimeError, UsageError } from '../util/errors.js';

/**
 * Where lines go: stdout or a file, with backpressure. `write` resolves once the stream can take
 * more, so a slow `jq` slows GetRecords down instead of filling memory.
 */
export interface LineSink {
  /**
   * Hands `text` to the output and resolves once it can take more (at once, or when it drains),
   * or as soon as `signal` aborts. Returns the number of this write (1, 2, ...).
   */
  write(text: string | Uint8Array, signal?: AbortSignal): Promise<number>;
  /** Writes so far. */
  readonly writeCount: number;
  /**
   * Writes that have left this process (into the pipe, terminal or file), counted in order. A
   * checkpoint may only pass what is counted here: text still buffered in the process is lost
   * if it has to exit before the reader takes it.
   */
  readonly flushedCount: number;
  /** Waits until every write has left the process, at most `timeoutMs`. True when all did. */
  flush(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
  /** The reader went away (`| head -1`): stop producing. */
  readonly closed: boolean;
}

/**
 * A usage error for an output path that cannot be a file we write (a missing folder, a folder):
 * checked before any network call, so a typo fails at once. Creates nothing.
 */
export async function checkOutputPath(path: string): Promise<void> {
  if (!path.trim()) throw new UsageError('-o/--output needs a file name (or leave it out to write to stdout)');
  const folder = dirname(resolve(path));
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`cannot write ${path}: the folder ${folder} does not exist`);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${path}: it is a folder; give a file name`);
}

export async function openOutput(path: string | undefined, stdout: NodeJS.WritableStream): Promise<LineSink> {
  if (path === undefined) return new StreamSink(stdout, false);
  await checkOutputPath(path);
  const file = createWriteStream(path, { flags: 'w' });
  await new Promise<void>((ok, fail) => {
    file.once('open', () => ok());
    file.once('error', (error) => fail(new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
  });
  return new StreamSink(file, true);
}

class StreamSink implements LineSink {
  private failure: Error | undefined;
  private ended = false;
  private written = 0;
  private flushedWrites = 0;
  private readonly flushWaiters = new Set<() => void>();

  constructor(private readonly stream: NodeJS.WritableStream, private readonly owned: boolean) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.failure = error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED'
        ? new OutputClosedError()
        : new RuntimeError(`cannot write output: ${error.message}`, { cause: error });
      this.wakeFlushWaiters();
    });
  }

  get closed(): boolean {
    return this.failure instanceof OutputClosedError;
  }

  get writeCount(): number {
    return this.written;
  }

  get flushedCount(): number {
    return this.flushedWrites;
  }

  async write(text: string | Uint8Array, signal?: AbortSignal): Promise<number> {
    if (this.failure) throw this.failure;
    const id = ++this.written;
    // Write callbacks come in order, once the text has left the process.
    const ready = this.stream.write(text, (error) => {
      if (!error) this.flushedWrites = Math.max(this.flushedWrites, id);
      this.wakeFlushWaiters();
    });
    if (ready || signal?.aborted) return id;
    await new Promise<void>((done) => {
      const finish = (): void => {
        this.stream.off('drain', finish);
        this.stream.off('error', finish);
        this.stream.off('close', finish);
        signal?.removeEventListener('abort', finish);
        done();
      };
      this.stream.once('drain', finish);
      this.stream.once('error', finish);
      this.stream.once('close', finish);
      signal?.addEventListener('abort', finish, { once: true });
    });
    if (this.failure) throw this.failure;
    return id;
  }

  async flush(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.flushedWrites < this.written && !this.failure) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((done) => {
        const timer = Number.isFinite(left) ? setTimeout(wake, left) : undefined;
        const waiters = this.flushWaiters;
        function wake(): void {
          clearTimeout(timer);
          waiters.delete(wake);
          done();
        }
        waiters.add(wake);
      });
    }
    return this.flushedWrites === this.written;
  }

  async close(): Promise<void> {
    if (!this.owned || this.ended) return;
    this.ended = true;
    await new Promise<void>((done) => this.stream.end(() => done()));
  }

  private wakeFlushWaiters(): void {
    for (const wake of [...this.flushWaiters]) wake();
  }
}
