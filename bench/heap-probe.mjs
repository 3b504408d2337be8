// Preloaded into a measured process (`node --expose-gc --import <this file> ...`): once a
// second, a full garbage collection, then one line `<epoch ms> <heap used bytes>` appended to the
// file named by BENCH_HEAP_FILE. Only benchmarks load it; ddbstream itself has no such switch.
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_HEAP_FILE;
if (file && typeof globalThis.gc === 'function') {
  setInterval(() => {
    globalThis.gc();
    appendFileSync(file, `${Date.now()} ${process.memoryUsage().heapUsed}\n`);
  }, 1000).unref();
}
