/**
 * The Levenshtein distance between two strings: the fewest single-character insertions,
 * deletions and substitutions that turn `a` into `b`. Compares UTF-16 code units, which is
 * enough for the ASCII names it is used on (operators, field names).
 */
export function editDistance(a: string, b: string): number {
  // One row of the classic table at a time: memory grows with `b`, not with `a × b`.
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Farther than this, a suggestion would more likely confuse than help. */
const MAX_SUGGESTION_DISTANCE = 2;

/**
 * The candidate nearest to `word` ignoring case, for a "did you mean" hint; undefined when none
 * is within edit distance 2. On a tie the earlier candidate wins, so callers order candidates by
 * preference.
 */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
