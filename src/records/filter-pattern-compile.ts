import { closestWord } from '../util/edit-distance.js';
import { UsageError } from '../util/errors.js';
import type { LeafField, LeafTest, ObjectPattern } from './filter-pattern-match.js';
import {
  describeOffset,
  parsePatternJson,
  PatternJsonError,
  type PatternJson,
  type PatternList,
  type PatternObject,
} from './pattern-json.js';

/**
 * Turns one `--filter` pattern into the tree `filter-pattern-match.ts` walks. Every way a pattern
 * can be invalid is a UsageError naming the pattern (`--filter #2`) and where in it the problem
 * sits (`at dynamodb.NewImage.price`), thrown at the first problem found.
 */

/** A pattern that compiled: the tree to match with, and the parsed JSON for the lint pass. */
export interface CompiledPattern {
  json: PatternObject;
  tree: ObjectPattern;
}

/** `label` prefixes every message, e.g. `--filter #1`. */
export function compilePattern(source: string, label: string): CompiledPattern {
  let json: PatternJson;
  try {
    json = parsePatternJson(source);
  } catch (error) {
    if (error instanceof PatternJsonError) {
      throw new UsageError(`${label}: invalid JSON at ${describeOffset(source, error.offset)}: ${error.message}`);
    }
    throw error;
  }
  if (json.type !== 'object') {
    throw new UsageError(`${label}: a pattern is a JSON object such as {"eventName": ["MODIFY"]}, not ${kindOf(json)}`);
  }
  if (json.entries.length === 0) {
    throw new UsageError(`${label}: the pattern {} names no field; leave --filter out to pass every record`);
  }
  return { json, tree: new Compiler(label).object(json, []) };
}

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists'] as const;
const EVENTBRIDGE_ONLY = new Set(['wildcard', 'cidr']);
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

class Compiler {
  constructor(private readonly label: string) {}

  object(node: PatternObject, path: string[]): ObjectPattern {
    const pattern: ObjectPattern = { fields: [], ors: [] };
    for (const [name, value] of node.entries) {
      if (name === '$or') {
        pattern.ors.push(this.or(value, path));
        continue;
      }
      const fieldPath = [...path, name];
      if (value.type === 'object') {
        if (value.entries.length === 0) {
          this.fail(fieldPath, `{} names no field; give rules in a list, e.g. "${name}": ["value"]`);
        }
        pattern.fields.push({ name, kind: 'nested', pattern: this.object(value, fieldPath) });
      } else if (value.type === 'array') {
        pattern.fields.push(this.leafField(name, value, fieldPath));
      } else {
        this.fail(fieldPath, `rules must be in a list, e.g. "${name}": [${sample(value)}]`);
      }
    }
    return pattern;
  }

  private or(node: PatternJson, path: string[]): ObjectPattern[] {
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
      return this.object(item, path);
    });
  }

  private leafField(name: string, list: PatternList, path: string[]): LeafField {
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
    return field;
  }

  private operator(node: PatternObject, path: string[], field: LeafField): void {
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
        const guess = closestWord(op, OPERATORS);
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
