import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputClosedError, RuntimeError, UsageError } from '../errors.js';

/**
 * Where lines go: stdout or a file, with backpressure. `write` resolves once the stream can take
 * more, so a slow `jq` slows GetRecords down instead of filling memory.
 */
export interface LineSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** The reader went away (`| head -1`): stop producing. */
  readonly closed: boolean;
}

/** Fail on an unusable output path before any network call (and before truncating anything). */
export async function checkOutputPath(path: string): Promise<void> {
  const folder = dirname(resolve(path));
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`cannot write ${path}: the folder ${folder} does not exist`);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${path}: it is a folder; give a file name`);
}

export async function openOutput(path: string | undefined, stdout: NodeJS.WritableStream): Promise<LineSink> {
  if (!path) return new StreamSink(stdout, false);
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

  constructor(private readonly stream: NodeJS.WritableStream, private readonly owned: boolean) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.failure = error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED'
        ? new OutputClosedError()
        : new RuntimeError(`cannot write output: ${error.message}`, { cause: error });
    });
  }

  get closed(): boolean {
    return this.failure instanceof OutputClosedError;
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.write(text)) return;
    await new Promise<void>((done) => {
      const finish = (): void => {
        this.stream.off('drain', finish);
        this.stream.off('error', finish);
        this.stream.off('close', finish);
        done();
      };
      this.stream.once('drain', finish);
      this.stream.once('error', finish);
      this.stream.once('close', finish);
    });
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (!this.owned || this.ended) return;
    this.ended = true;
    await new Promise<void>((done) => this.stream.end(() => done()));
  }
}
