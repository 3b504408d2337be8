import type { CheckResult } from './check.js';

const MARKS: Record<CheckResult['status'], { symbol: string; word: string }> = {
  ok: { symbol: '✔', word: 'ok' },
  fail: { symbol: '✖', word: 'FAIL' },
  note: { symbol: '!', word: 'note' },
  skip: { symbol: '-', word: 'skip' },
};

/**
 * One line per check: a mark on a terminal, a word in a pipe (where ✔ and ✖ would only be
 * searched for by grep), then what was found and, after " → ", what to do.
 */
export function renderReport(results: readonly CheckResult[], terminal: boolean): string[] {
  return results.map((result) => {
    const mark = terminal ? MARKS[result.status].symbol : MARKS[result.status].word.padEnd(4);
    return `${mark} ${result.name}: ${result.detail}${result.advice ? ` → ${result.advice}` : ''}`;
  });
}

/** `--json`: one object with the verdict and every check, for scripts and bug reports. */
export function renderJson(results: readonly CheckResult[], passed: boolean): string {
  return JSON.stringify({ ok: passed, checks: results });
}
