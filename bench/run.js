// `npm run bench [name ...]`: runs the benchmarks (all by default) and prints Markdown tables
// for BENCHMARKS.md. Never part of `npm test`.
import { cpus, loadavg } from 'node:os';

const BENCHMARKS = {
  startup: () => import('./startup.mjs'),
  'export-local': () => import('./export-local.mjs'),
  'export-lineage': () => import('./export-lineage.mjs'),
  'export-memory': () => import('./export-memory.mjs'),
  'tail-latency': () => import('./tail-latency.mjs'),
  'tail-split': () => import('./tail-split.mjs'),
  'tail-memory': () => import('./tail-memory.mjs'),
  'tail-cpu': () => import('./tail-cpu.mjs'),
  replay: () => import('./replay.mjs'),
  'get-records-parse': () => import('./get-records-parse.mjs'),
  'export-group': () => import('./export-group.mjs'),
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHMARKS);
for (const name of names) {
  if (!BENCHMARKS[name]) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
}
for (const name of names) {
  // The machine is shared: say how busy it was, next to the figures.
  const load = loadavg().map((n) => n.toFixed(1)).join(' ');
  console.log(`<!-- ${name}: ${new Date().toISOString()}, ${cpus().length} cores, load average ${load} -->`);
  const module = await BENCHMARKS[name]();
  await module.run();
}
