import { closestWord } from '../util/edit-distance.js';
import { isEventName } from './record.js';
import type { PatternJson, PatternList, PatternObject } from './pattern-json.js';

/**
 * Notes for filter patterns that are valid but can never do what they seem to, because of the
 * shape of a Lambda DynamoDB record: a field the record does not have, a rule list straight on a
 * typed attribute value, `numeric` on a DynamoDB number (a string in the record), an event name
 * that does not exist. Matching does not depend on these notes; the command decides whether to
 * print them.
 *
 * Runs on a pattern that compiled (`filter-pattern-compile.ts`), so it reports nothing about
 * invalid patterns. One line per note, prefixed with `label` and the path of the field.
 */
export function lintPattern(pattern: PatternObject, label: string): string[] {
  const notes: string[] = [];
  lintObject(pattern, [], 'record', (path, message) => notes.push(`${label} at ${path.join('.')}: ${message}`));
  return notes;
}

/**
 * Where a pattern object sits in a Lambda DynamoDB record: the record, its `dynamodb` object, an
 * image (attribute names), an attribute's typed value (`{"S": ...}`), or somewhere the record's
 * shape says nothing about.
 */
type Place = 'record' | 'dynamodb' | 'image' | 'typed' | 'other';

type Note = (path: string[], message: string) => void;

const RECORD_FIELDS = new Set([
  'eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN', 'userIdentity',
]);
const DYNAMODB_FIELDS = [
  'ApproximateCreationDateTime', 'Keys', 'NewImage', 'OldImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType',
];
const IMAGE_FIELDS = new Set(['Keys', 'NewImage', 'OldImage']);
const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'M', 'L']);

function lintObject(node: PatternObject, path: string[], place: Place, note: Note): void {
  for (const [name, value] of node.entries) {
    if (name === '$or') {
      // Alternatives describe the same object as the $or's siblings, at the same path.
      if (value.type === 'array') {
        for (const item of value.items) if (item.type === 'object') lintObject(item, path, place, note);
      }
      continue;
    }
    const fieldPath = [...path, name];
    const childPlace = placeOf(name, fieldPath, place, note);
    if (value.type === 'object') {
      lintNested(name, fieldPath, place, note);
      lintObject(value, fieldPath, childPlace, note);
    } else if (value.type === 'array') {
      lintLeaf(name, value, fieldPath, place, note);
    }
  }
}

/** The place of field `name` inside `parent`, noting names that the record never has there. */
function placeOf(name: string, path: string[], parent: Place, note: Note): Place {
  switch (parent) {
    case 'record':
      if (!RECORD_FIELDS.has(name)) {
        const hint = DYNAMODB_FIELDS.includes(name) ? `; did you mean {"dynamodb": {"${name}": ...}}?` : '';
        note(path, `a Lambda DynamoDB record has no top-level "${name}", so this never matches${hint}`);
      }
      return name === 'dynamodb' ? 'dynamodb' : 'other';
    case 'dynamodb':
      if (!DYNAMODB_FIELDS.includes(name)) {
        const guess = closestWord(name, DYNAMODB_FIELDS);
        note(path, `"dynamodb" has no "${name}" (it has ${DYNAMODB_FIELDS.join(', ')}), so this never matches${guess ? `; did you mean "${guess}"?` : ''}`);
      }
      return IMAGE_FIELDS.has(name) ? 'image' : 'other';
    case 'image':
      return 'typed';
    case 'typed':
      if (!TYPE_KEYS.has(name)) {
        note(path, `"${name}" is not a DynamoDB type (${[...TYPE_KEYS].join(', ')}), so this never matches`);
      }
      return name === 'M' ? 'image' : name === 'L' ? 'typed' : 'other';
    case 'other':
      return 'other';
  }
}

function lintNested(name: string, path: string[], parent: Place, note: Note): void {
  if (parent === 'typed' && TYPE_KEYS.has(name) && name !== 'M' && name !== 'L') {
    note(path, `a DynamoDB ${name} value is not an object, so a nested pattern under it never matches`);
  }
}

function lintLeaf(name: string, list: PatternList, path: string[], parent: Place, note: Note): void {
  if (parent === 'image') {
    // The attribute's value is an object, never a leaf: only exists:false can hold.
    const what = list.items.some(isExistsFalse) ? 'always matches' : 'never matches';
    note(
      path,
      `an attribute's value is typed ({"S": "x"}), so a rule list directly under "${name}" ${what}; ` +
        `put the rules under its type, e.g. "${name}": {"S": ${toText(list)}}`,
    );
  }
  if (parent === 'typed' && (name === 'N' || name === 'NS')) {
    if (list.items.some((item) => item.type === 'object' && item.entries[0]?.[0] === 'numeric')) {
      note(
        path,
        'numeric never matches a DynamoDB number: the record holds it as a string ("N": "50"), as in Lambda; ' +
          'match the exact text instead, e.g. "N": ["50"]',
      );
    }
    const number = list.items.find((item) => item.type === 'number');
    if (number && number.type === 'number') {
      note(path, `${number.raw} is a JSON number but DynamoDB numbers are strings here; write "N": ["${number.raw}"]`);
    }
  }
  if (parent === 'record' && name === 'eventName') {
    for (const item of list.items) {
      if (item.type === 'string' && !isEventName(item.value)) {
        note(path, `eventName is INSERT, MODIFY or REMOVE; "${item.value}" never matches`);
      }
    }
  }
}

function isExistsFalse(item: PatternJson): boolean {
  if (item.type !== 'object' || item.entries.length !== 1) return false;
  const [op, arg] = item.entries[0] as [string, PatternJson];
  return op === 'exists' && arg.type === 'boolean' && !arg.value;
}

/** The pattern text back from its parsed form, numbers as written, for quoting in a note. */
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
