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
  const { renderTailUi } = await import('./render-tail-ui.js');
  return renderTailUi(options);
}
