import type { TailUiOptions } from './render-tail-ui.js';

export type { TailUiOptions } from './render-tail-ui.js';

/**
 * Runs the interactive view until the user quits (`quit`) or the stream ends (`end`); rejects
 * with the reader's error.
 *
 * React and ink choose their build from NODE_ENV when they first load, so it is settled here,
 * before the view's modules are imported. Without it they run their development build, whose
 * checks cost several times the CPU of the production build on every redraw of the status area.
 * A NODE_ENV the user set is left as it is.
 */
export async function runTailUi(options: TailUiOptions): Promise<'quit' | 'end'> {
  process.env.NODE_ENV ??= 'production';
  const { renderTailUi } = await importOutsideCi(() => import('./render-tail-ui.js'));
  return renderTailUi(options);
}

/**
 * ink also reads CI (and CONTINUOUS_INTEGRATION) when it first loads, and where either is set
 * it draws nothing until the view ends. The view runs only on a terminal, which someone is
 * watching even in a shell that sets CI: the variables are hidden while ink loads, then put back.
 */
async function importOutsideCi<T>(load: () => Promise<T>): Promise<T> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}
