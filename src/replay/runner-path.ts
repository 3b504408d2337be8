import { fileURLToPath } from 'node:url';

/** The compiled worker entry the handler processes run (next to this module in dist/). */
export const RUNNER_PATH = fileURLToPath(new URL('./worker-main.js', import.meta.url));
