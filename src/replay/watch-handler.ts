import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx|json)$/;
const SETTLE_MS = 150;

/**
 * Calls `onChange` when a code file in the handler's folder changes (the handler itself or a
 * sibling it imports), once per burst of writes (editors save in several steps). Changes during
 * a reload lead to one more reload after it.
 */
export function watchHandler(file: string, onChange: () => Promise<void>): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const fire = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = onChange().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        fire();
      }
    });
  };
  const watcher: FSWatcher = watch(path.dirname(file), (_event, name) => {
    if (name && !CODE_FILE.test(name.toString())) return;
    clearTimeout(timer);
    timer = setTimeout(fire, SETTLE_MS);
  });
  watcher.on('error', () => watcher.close());
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
