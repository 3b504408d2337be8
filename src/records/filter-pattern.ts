import { UsageError } from '../util/errors.js';
import { compilePattern } from './filter-pattern-compile.js';
import { lintPattern } from './filter-pattern-lint.js';
import { matchObject } from './filter-pattern-match.js';

/**
 * Lambda event filtering (FilterCriteria) for DynamoDB stream records, matched against the
 * record as Lambda sees it (`toLambdaRecord`: marshalled images, `eventName`, `dynamodb.Keys`...).
 *
 * Semantics, from the Lambda Developer Guide "Control which events Lambda sends to your function"
 * (invocation-eventfiltering), which defers to EventBridge's event patterns, and AWS's event-ruler
 * (the engine behind them):
 * - a pattern's fields are ANDed, the values in a field's list are ORed, and every field a
 *   pattern names must exist in the record (except under `{"exists": false}`);
 * - comparisons apply to leaf values; a list in the record matches when any element does, and
 *   objects inside lists are matched element by element (never mixing two elements);
 * - strings compare exactly, character by character; numbers compare by their written form
 *   (300, 300.0 and 3.0e2 are three different values);
 * - `numeric` only works on JSON numbers. DynamoDB numbers are strings in the record
 *   (`"N": "50"`), so, as the DynamoDB Developer Guide notes ("Tutorial #2: Using filters to
 *   process some events"), numeric comparison does not apply to them: `{"N": [{"numeric": ...}]}`
 *   never matches. Match their exact text instead: `{"N": ["50"]}`. It does apply to
 *   `dynamodb.ApproximateCreationDateTime` and `dynamodb.SizeBytes`;
 * - `exists` tests for a leaf: `{"status": [{"exists": true}]}` never matches a DynamoDB
 *   attribute (its value is an object such as `{"S": "x"}`); write
 *   `{"status": {"S": [{"exists": true}]}}`;
 * - up to 5 patterns, ORed: a record passes when any pattern matches.
 *
 * Three steps, one module each: `filter-pattern-compile.ts` checks a pattern and builds its
 * matcher tree, `filter-pattern-lint.ts` collects notes for patterns that are valid but cannot do
 * what they seem to (the cases above; the command decides whether to print them), and
 * `filter-pattern-match.ts` runs the tree against a record.
 */

export const MAX_FILTER_PATTERNS = 5;

/** One compiled pattern. `matches` takes the Lambda-shaped record (any parsed JSON value). */
export interface FilterPattern {
  /** 1-based position among the `--filter` options, used in messages. */
  index: number;
  source: string;
  matches: (event: unknown) => boolean;
  /** Valid but probably not what was meant; one line each, prefixed with `--filter #n`. */
  notes: string[];
}

/** Several patterns, ORed. */
export interface FilterPatterns {
  patterns: FilterPattern[];
  matches: (event: unknown) => boolean;
  notes: string[];
}

export function compileFilterPatterns(sources: readonly string[]): FilterPatterns {
  if (sources.length > MAX_FILTER_PATTERNS) {
    throw new UsageError(
      `--filter was given ${sources.length} times; Lambda accepts at most ${MAX_FILTER_PATTERNS} patterns per event source mapping`,
    );
  }
  const patterns = sources.map((source, i) => compileFilterPattern(source, i + 1));
  const matchers = patterns.map((pattern) => pattern.matches);
  return {
    patterns,
    matches: (event) => {
      for (const match of matchers) if (match(event)) return true;
      return false;
    },
    notes: patterns.flatMap((pattern) => pattern.notes),
  };
}

export function compileFilterPattern(source: string, index = 1): FilterPattern {
  const label = `--filter #${index}`;
  const { json, tree } = compilePattern(source, label);
  return { index, source, matches: (event) => matchObject(tree, event), notes: lintPattern(json, label) };
}
