// `npm run bench [name ...]`: runs the benchmarks (all by default) and prints Markdown tables
// for BENCHMARKS.md. Never part of `npm test`.
const BENCHMARKS = {
  startup: () => import('./startup.mjs'),
  replay: () => import('./replay.mjs'),
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHMARKS);
for (const name of names) {
  const load = BENCHMARKS[name];
  if (!load) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  const module = await load();
  await module.run();
}
