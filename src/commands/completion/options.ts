import type { Shell } from '../../completion/shell-scripts.js';

/**
 * The shells `completion` takes, declared here rather than imported from the completion code,
 * which is loaded only when a completion command runs (the type import costs nothing at run time).
 */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const satisfies readonly Shell[];
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];
