import { constants } from 'node:fs';
import { access, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { RuntimeError, UsageError } from '../util/errors.js';
import type { FailureLine } from './failure-record.js';

/** Fails early, before any record is read, when the failure file could not be written. */
export async function checkFailureFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`--on-failure ${file} is a directory; give a file name.`);
  const dir = path.dirname(path.resolve(file));
  const dirInfo = await stat(dir).catch(() => undefined);
  if (!dirInfo?.isDirectory()) throw new UsageError(`--on-failure ${file}: the directory ${dir} does not exist.`);
  try {
    await access(info ? file : dir, constants.W_OK);
  } catch {
    throw new UsageError(`--on-failure ${file} is not writable.`);
  }
}

/**
 * The `--on-failure` file: NDJSON, appended to, one line per failed batch. It holds table data,
 * so a new file is readable by its owner only. Lines are written whole and in order.
 */
export class FailureFile {
  private handle: FileHandle | undefined;
  private queue: Promise<void> = Promise.resolve();
  lines = 0;

  constructor(readonly file: string) {}

  readonly write = (line: FailureLine): Promise<void> => {
    const text = JSON.stringify(line) + '\n';
    this.queue = this.queue.then(async () => {
      try {
        this.handle ??= await open(this.file, 'a', 0o600);
        await this.handle.appendFile(text, 'utf8');
        this.lines++;
      } catch (error) {
        throw new RuntimeError(`cannot write the failure file ${this.file}: ${(error as Error).message}`, { cause: error });
      }
    });
    return this.queue;
  };

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    await this.handle?.close();
    this.handle = undefined;
  }
}
