import { UsageError } from '../errors.js';
import { describeOffset, parsePatternJson, PatternJsonError, type PatternJson } from './pattern-json.js';

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
 * Compilation also collects notes for patterns that are valid but cannot do what they seem to
 * (the cases above); the command decides whether to print them.
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
  let json: PatternJson;
  try {
    json = parsePatternJson(source);
  } catch (error) {
    if (error instanceof PatternJsonError) {
      throw new UsageError(`${label}: invalid JSON at ${describeOffset(source, error.offset)}: ${error.message}`);
    }
    throw error;
  }
  const compiler = new Compiler(label);
  if (json.type !== 'object') {
    throw new UsageError(`${label}: a pattern is a JSON object such as {"eventName": ["MODIFY"]}, not ${kindOf(json)}`);
  }
  if (json.entries.length === 0) {
    throw new UsageError(`${label}: the pattern {} names no field; leave --filter out to pass every record`);
  }
  const root = compiler.object(json, [], 'record');
  return { index, source, matches: (event) => matchObject(root, event), notes: compiler.notes };
}

// ---------------------------------------------------------------------------------------------
// Compiled form

/** Tests one leaf value (string, number, boolean or null). */
type LeafTest = (value: LeafValue) => boolean;
type LeafValue = string | number | boolean | null;

interface LeafField {
  name: string;
  kind: 'leaf';
  tests: LeafTest[];
  existsTrue: boolean;
  existsFalse: boolean;
}

interface NestedField {
  name: string;
  kind: 'nested';
  pattern: ObjectPattern;
}

interface ObjectPattern {
  fields: Array<LeafField | NestedField>;
  /** Each entry is one `$or`: at least one of its alternatives must match. */
  ors: ObjectPattern[][];
}

function matchObject(pattern: ObjectPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    // Objects in a list are matched one element at a time, so that two fields of one pattern
    // never match in two different elements. An empty list holds no fields at all.
    if (value.length === 0) return matchObject(pattern, undefined);
    for (const item of value) if (matchObject(pattern, item)) return true;
    return false;
  }
  const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  for (const field of pattern.fields) {
    const child = object !== undefined && Object.hasOwn(object, field.name) ? object[field.name] : undefined;
    if (field.kind === 'nested') {
      if (!matchObject(field.pattern, child)) return false;
    } else if (!matchLeafField(field, child)) {
      return false;
    }
  }
  for (const alternatives of pattern.ors) {
    let any = false;
    for (const alternative of alternatives) {
      if (matchObject(alternative, value)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

function matchLeafField(field: LeafField, value: unknown): boolean {
  const leaves: LeafValue[] = [];
  collectLeaves(value, leaves);
  if (leaves.length === 0) return field.existsFalse;
  if (field.existsTrue) return true;
  for (const leaf of leaves) {
    for (const test of field.tests) if (test(leaf)) return true;
  }
  return false;
}

function collectLeaves(value: unknown, into: LeafValue[]): void {
  if (value === undefined) return;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectLeaves(item, into);
  }
  // An object is no leaf: `exists` and value tests do not see it.
}

// ---------------------------------------------------------------------------------------------
// Compiler

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists'] as const;
const EVENTBRIDGE_ONLY = new Set(['wildcard', 'cidr']);
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

const RECORD_FIELDS = new Set([
  'eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN', 'userIdentity',
]);
const DYNAMODB_FIELDS = new Set([
  'ApproximateCreationDateTime', 'Keys', 'NewImage', 'OldImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType',
]);
const IMAGE_FIELDS = new Set(['Keys', 'NewImage', 'OldImage']);
const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'M', 'L']);
const EVENT_NAMES = new Set(['INSERT', 'MODIFY', 'REMOVE']);

/**
 * Where a pattern object sits in a Lambda DynamoDB record, for notes about patterns that can
 * never match: the record, its `dynamodb` object, an image (attribute names), an attribute's
 * typed value (`{"S": ...}`), or somewhere the record's shape says nothing about.
 */
type Place = 'record' | 'dynamodb' | 'image' | 'typed' | 'other';

class Compiler {
  readonly notes: string[] = [];

  constructor(private readonly label: string) {}

  object(node: Extract<PatternJson, { type: 'object' }>, path: string[], place: Place): ObjectPattern {
    const pattern: ObjectPattern = { fields: [], ors: [] };
    for (const [name, value] of node.entries) {
      if (name === '$or') {
        pattern.ors.push(this.or(value, path, place));
        continue;
      }
      const fieldPath = [...path, name];
      const childPlace = this.placeOf(name, fieldPath, place);
      if (value.type === 'object') {
        if (value.entries.length === 0) {
          this.fail(fieldPath, `{} names no field; give rules in a list, e.g. "${name}": ["value"]`);
        }
        this.noteNested(name, fieldPath, place);
        pattern.fields.push({ name, kind: 'nested', pattern: this.object(value, fieldPath, childPlace) });
      } else if (value.type === 'array') {
        pattern.fields.push(this.leafField(name, value, fieldPath, place));
      } else {
        this.fail(fieldPath, `rules must be in a list, e.g. "${name}": [${sample(value)}]`);
      }
    }
    return pattern;
  }

  private or(node: PatternJson, path: string[], place: Place): ObjectPattern[] {
    const where = [...path, '$or'];
    if (node.type !== 'array' || node.items.length < 2) {
      this.fail(where, '$or needs a list of at least two patterns, e.g. "$or": [{"a": ["x"]}, {"b": ["y"]}]');
    }
    return node.items.map((item, i) => {
      const itemPath = [...path, `$or[${i}]`];
      if (item.type !== 'object' || item.entries.length === 0) {
        this.fail(itemPath, `each $or alternative is a non-empty pattern object, not ${kindOf(item)}`);
      }
      // Alternatives describe the same object as the $or's siblings.
      return this.object(item, path, place);
    });
  }

  private leafField(name: string, list: Extract<PatternJson, { type: 'array' }>, path: string[], parent: Place): LeafField {
    if (list.items.length === 0) this.fail(path, 'an empty list matches nothing; give at least one value or operator');
    const field: LeafField = { name, kind: 'leaf', tests: [], existsTrue: false, existsFalse: false };
    for (const item of list.items) {
      switch (item.type) {
        case 'string': {
          const expected = item.value;
          field.tests.push((v) => v === expected);
          break;
        }
        case 'number': {
          const raw = item.raw;
          field.tests.push((v) => typeof v === 'number' && numberText(v) === raw);
          break;
        }
        case 'boolean': {
          const expected = item.value;
          field.tests.push((v) => v === expected);
          break;
        }
        case 'null':
          field.tests.push((v) => v === null);
          break;
        case 'object':
          this.operator(item, path, field);
          break;
        case 'array':
          this.fail(path, 'a rule list cannot contain another list');
      }
    }
    this.noteLeaf(name, list, path, parent, field);
    return field;
  }

  private operator(node: Extract<PatternJson, { type: 'object' }>, path: string[], field: LeafField): void {
    if (node.entries.length !== 1) {
      this.fail(path, `an operator object has exactly one key (one of ${OPERATORS.join(', ')}), found ${node.entries.length}`);
    }
    const [op, arg] = node.entries[0] as [string, PatternJson];
    switch (op) {
      case 'prefix':
      case 'suffix': {
        const { text, ignoreCase } = this.affix(op, arg, path);
        field.tests.push(affixTest(op, text, ignoreCase));
        return;
      }
      case 'equals-ignore-case': {
        if (arg.type !== 'string') this.fail(path, `"equals-ignore-case" takes a string, not ${kindOf(arg)}`);
        const lower = arg.value.toLowerCase();
        field.tests.push((v) => typeof v === 'string' && v.toLowerCase() === lower);
        return;
      }
      case 'anything-but':
        field.tests.push(this.anythingBut(arg, path));
        return;
      case 'numeric':
        field.tests.push(this.numeric(arg, path));
        return;
      case 'exists':
        if (arg.type !== 'boolean') this.fail(path, `"exists" takes true or false, not ${kindOf(arg)}`);
        if (arg.value) field.existsTrue = true;
        else field.existsFalse = true;
        return;
      default: {
        if (EVENTBRIDGE_ONLY.has(op)) {
          this.fail(path, `"${op}" is an EventBridge operator that Lambda event filtering does not support (use ${OPERATORS.join(', ')})`);
        }
        const guess = closest(op, OPERATORS);
        this.fail(path, `"${op}" is not a filter operator (${guess ? `did you mean "${guess}"? ` : ''}use ${OPERATORS.join(', ')})`);
      }
    }
  }

  private affix(op: 'prefix' | 'suffix', arg: PatternJson, path: string[]): { text: string; ignoreCase: boolean } {
    if (arg.type === 'string') return { text: arg.value, ignoreCase: false };
    if (arg.type === 'object' && arg.entries.length === 1) {
      const [inner, value] = arg.entries[0] as [string, PatternJson];
      if (inner === 'equals-ignore-case' && value.type === 'string') return { text: value.value, ignoreCase: true };
    }
    this.fail(path, `"${op}" takes a string or {"equals-ignore-case": "text"}, not ${describe(arg)}`);
  }

  private anythingBut(arg: PatternJson, path: string[]): LeafTest {
    const forms = 'a string, a number, a list of only strings or only numbers, {"prefix": "text"}, ' +
      '{"suffix": "text"} or {"equals-ignore-case": "text"}';
    if (arg.type === 'string') {
      const excluded = arg.value;
      return (v) => v !== excluded;
    }
    if (arg.type === 'number') {
      const excluded = arg.value;
      return (v) => !(typeof v === 'number' && v === excluded);
    }
    if (arg.type === 'array' && arg.items.length > 0) {
      const strings = arg.items.flatMap((item) => (item.type === 'string' ? [item.value] : []));
      if (strings.length === arg.items.length) {
        const excluded = new Set(strings);
        return (v) => !(typeof v === 'string' && excluded.has(v));
      }
      const numbers = arg.items.flatMap((item) => (item.type === 'number' ? [item.value] : []));
      if (numbers.length === arg.items.length) return (v) => !(typeof v === 'number' && numbers.includes(v));
    }
    if (arg.type === 'object' && arg.entries.length === 1) {
      const [inner, value] = arg.entries[0] as [string, PatternJson];
      if ((inner === 'prefix' || inner === 'suffix') && value.type === 'string') {
        const test = affixTest(inner, value.value, false);
        return (v) => !test(v);
      }
      const texts = inner !== 'equals-ignore-case' ? undefined
        : value.type === 'string' ? [value.value]
          : value.type === 'array' && value.items.length > 0 && value.items.every((item) => item.type === 'string')
            ? value.items.map((item) => (item as { value: string }).value)
            : undefined;
      if (texts) {
        const excluded = new Set(texts.map((text) => text.toLowerCase()));
        return (v) => !(typeof v === 'string' && excluded.has(v.toLowerCase()));
      }
    }
    this.fail(path, `"anything-but" takes ${forms}; found ${describe(arg)}`);
  }

  private numeric(arg: PatternJson, path: string[]): LeafTest {
    const usage = 'e.g. {"numeric": [">", 0, "<=", 5]} or {"numeric": ["=", 100]}';
    if (arg.type !== 'array' || (arg.items.length !== 2 && arg.items.length !== 4)) {
      this.fail(path, `"numeric" takes one or two comparisons, ${usage}`);
    }
    let lower: { value: number; inclusive: boolean } | undefined;
    let upper: { value: number; inclusive: boolean } | undefined;
    let equals: number | undefined;
    for (let i = 0; i < arg.items.length; i += 2) {
      const op = arg.items[i] as PatternJson;
      const operand = arg.items[i + 1] as PatternJson;
      if (op.type !== 'string' || !NUMERIC_OPS.has(op.value)) {
        this.fail(path, `"numeric" comparisons are =, <, <=, >, >=; found ${describe(op)} (${usage})`);
      }
      if (operand.type !== 'number') {
        this.fail(path, `"numeric" compares with a JSON number; found ${describe(operand)} after "${op.value}"`);
      }
      const value = operand.value;
      if (op.value === '=') {
        if (arg.items.length !== 2) this.fail(path, '"numeric" with "=" takes no second comparison');
        equals = value;
      } else if (op.value === '>' || op.value === '>=') {
        if (lower) this.fail(path, '"numeric" has two lower bounds; give one lower and one upper bound');
        lower = { value, inclusive: op.value === '>=' };
      } else {
        if (upper) this.fail(path, '"numeric" has two upper bounds; give one lower and one upper bound');
        upper = { value, inclusive: op.value === '<=' };
      }
    }
    if (lower && upper && (lower.value > upper.value || (lower.value === upper.value && !(lower.inclusive && upper.inclusive)))) {
      this.fail(path, `"numeric" range is empty: nothing is ${lower.inclusive ? '>=' : '>'} ${lower.value} and ${upper.inclusive ? '<=' : '<'} ${upper.value}`);
    }
    if (equals !== undefined) {
      const target = equals;
      return (v) => typeof v === 'number' && v === target;
    }
    return (v) => {
      if (typeof v !== 'number') return false;
      if (lower && (lower.inclusive ? v < lower.value : v <= lower.value)) return false;
      if (upper && (upper.inclusive ? v > upper.value : v >= upper.value)) return false;
      return true;
    };
  }

  private placeOf(name: string, path: string[], parent: Place): Place {
    switch (parent) {
      case 'record':
        if (!RECORD_FIELDS.has(name)) {
          const hint = DYNAMODB_FIELDS.has(name) ? `; did you mean {"dynamodb": {"${name}": ...}}?` : '';
          this.note(path, `a Lambda DynamoDB record has no top-level "${name}", so this never matches${hint}`);
        }
        return name === 'dynamodb' ? 'dynamodb' : 'other';
      case 'dynamodb':
        if (!DYNAMODB_FIELDS.has(name)) {
          const guess = closest(name, [...DYNAMODB_FIELDS]);
          this.note(path, `"dynamodb" has no "${name}" (it has ${[...DYNAMODB_FIELDS].join(', ')}), so this never matches${guess ? `; did you mean "${guess}"?` : ''}`);
        }
        return IMAGE_FIELDS.has(name) ? 'image' : 'other';
      case 'image':
        return 'typed';
      case 'typed':
        if (!TYPE_KEYS.has(name)) {
          this.note(path, `"${name}" is not a DynamoDB type (${[...TYPE_KEYS].join(', ')}), so this never matches`);
        }
        return name === 'M' ? 'image' : name === 'L' ? 'typed' : 'other';
      case 'other':
        return 'other';
    }
  }

  private noteNested(name: string, path: string[], parent: Place): void {
    if (parent === 'typed' && TYPE_KEYS.has(name) && name !== 'M' && name !== 'L') {
      this.note(path, `a DynamoDB ${name} value is not an object, so a nested pattern under it never matches`);
    }
  }

  private noteLeaf(
    name: string,
    list: Extract<PatternJson, { type: 'array' }>,
    path: string[],
    parent: Place,
    field: LeafField,
  ): void {
    if (parent === 'image') {
      // The attribute's value is an object, never a leaf: only exists:false can hold.
      const what = field.existsFalse ? 'always matches' : 'never matches';
      this.note(
        path,
        `an attribute's value is typed ({"S": "x"}), so a rule list directly under "${name}" ${what}; ` +
          `put the rules under its type, e.g. "${name}": {"S": ${source(list)}}`,
      );
    }
    if (parent === 'typed' && (name === 'N' || name === 'NS')) {
      if (list.items.some((item) => item.type === 'object' && item.entries[0]?.[0] === 'numeric')) {
        this.note(
          path,
          'numeric never matches a DynamoDB number: the record holds it as a string ("N": "50"), as in Lambda; ' +
            'match the exact text instead, e.g. "N": ["50"]',
        );
      }
      const number = list.items.find((item) => item.type === 'number');
      if (number && number.type === 'number') {
        this.note(path, `${number.raw} is a JSON number but DynamoDB numbers are strings here; write "N": ["${number.raw}"]`);
      }
    }
    if (parent === 'record' && name === 'eventName') {
      for (const item of list.items) {
        if (item.type === 'string' && !EVENT_NAMES.has(item.value)) {
          this.note(path, `eventName is INSERT, MODIFY or REMOVE; "${item.value}" never matches`);
        }
      }
    }
  }

  private note(path: string[], message: string): void {
    this.notes.push(`${this.label} at ${path.join('.')}: ${message}`);
  }

  private fail(path: string[], message: string): never {
    const where = path.length ? ` at ${path.join('.')}` : '';
    throw new UsageError(`${this.label}${where}: ${message}`);
  }
}

function affixTest(op: 'prefix' | 'suffix', text: string, ignoreCase: boolean): LeafTest {
  if (ignoreCase) {
    const lower = text.toLowerCase();
    return op === 'prefix'
      ? (v) => typeof v === 'string' && v.toLowerCase().startsWith(lower)
      : (v) => typeof v === 'string' && v.toLowerCase().endsWith(lower);
  }
  return op === 'prefix'
    ? (v) => typeof v === 'string' && v.startsWith(text)
    : (v) => typeof v === 'string' && v.endsWith(text);
}

/** How a number in the record is written in JSON, for comparing with a pattern's number token. */
function numberText(value: number): string {
  return JSON.stringify(value);
}

function kindOf(node: PatternJson): string {
  switch (node.type) {
    case 'object': return 'an object';
    case 'array': return 'a list';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return node.value ? 'true' : 'false';
    case 'null': return 'null';
  }
}

function describe(node: PatternJson): string {
  return node.type === 'string' ? `"${node.value}"` : node.type === 'number' ? node.raw : kindOf(node);
}

function sample(node: PatternJson): string {
  return node.type === 'string' ? JSON.stringify(node.value) : node.type === 'number' ? node.raw : describe(node);
}

function source(list: Extract<PatternJson, { type: 'array' }>): string {
  return '[' + list.items.map(toText).join(', ') + ']';
}

function toText(node: PatternJson): string {
  switch (node.type) {
    case 'string': return JSON.stringify(node.value);
    case 'number': return node.raw;
    case 'boolean': return String(node.value);
    case 'null': return 'null';
    case 'array': return '[' + node.items.map(toText).join(', ') + ']';
    case 'object': return '{' + node.entries.map(([k, v]) => `${JSON.stringify(k)}: ${toText(v)}`).join(', ') + '}';
  }
}

/** The candidate within edit distance 2 of `word`, for "did you mean". */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
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
