/**
 * The compiled form of a filter pattern and how it matches a Lambda-shaped record. Compilation
 * (`filter-pattern-compile.ts`) has already checked the pattern, so matching never fails: a
 * record either matches or it does not.
 */

/** One leaf value of a record: what value tests and `exists` look at. */
export type LeafValue = string | number | boolean | null;

/** Tests one leaf value. */
export type LeafTest = (value: LeafValue) => boolean;

/** A field whose pattern is a rule list: `"status": ["active", {"prefix": "a"}]`. */
export interface LeafField {
  name: string;
  kind: 'leaf';
  /** ORed: any test passing on any leaf of the field matches. */
  tests: LeafTest[];
  existsTrue: boolean;
  existsFalse: boolean;
}

/** A field whose pattern is another pattern object: `"dynamodb": {...}`. */
export interface NestedField {
  name: string;
  kind: 'nested';
  pattern: ObjectPattern;
}

export interface ObjectPattern {
  /** ANDed: every field must match. */
  fields: Array<LeafField | NestedField>;
  /** Each entry is one `$or`: at least one of its alternatives must match. */
  ors: ObjectPattern[][];
}

/** True when `value` (any parsed JSON) matches the compiled pattern. */
export function matchObject(pattern: ObjectPattern, value: unknown): boolean {
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
