/**
 * The judge of the property tests: JSON read without losing a digit or a name, a canonical text
 * for comparing two values (map order ignored, numbers by value), and a diff applied by its paths.
 * It shares no code with what it judges.
 */

/** A JSON number token, kept as written. */
export class Num {
  constructor(readonly text: string) {}
}

const NUMBER_MARK = '\u0000#number';

/**
 * JSON.parse, except that numbers stay their exact text (as Num) and every name, `__proto__`
 * included, is an own property (JSON.parse and its reviver create them as data).
 */
export function parseLossless(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const start = i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, ++i);
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const start = i++;
      while (i < text.length && /[0-9eE.+-]/.test(text[i]!)) i++;
      out += `[${JSON.stringify(NUMBER_MARK)},${JSON.stringify(text.slice(start, i))}]`;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out, (_key, value: unknown) =>
    Array.isArray(value) && value.length === 2 && value[0] === NUMBER_MARK ? new Num(value[1] as string) : value);
}

/** `-12.50e3` → `-125e2`: equal numbers, equal text, whatever the spelling. */
export function canonDecimal(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(`not a number: ${text}`);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = (whole + fraction).replace(/^0+/, '');
  let scale = Number(exponent) - fraction.length;
  const trimmed = digits.replace(/0+$/, '');
  scale += digits.length - trimmed.length;
  digits = trimmed;
  return digits === '' ? '0' : `${sign === '-' ? '-' : ''}${digits}e${scale}`;
}

/** A text equal for equal values: map names sorted, list order kept, numbers by value. */
export function canonNative(value: unknown): string {
  if (value instanceof Num) return `#${canonDecimal(value.text)}`;
  if (Array.isArray(value)) return `[${value.map(canonNative).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const names = Object.keys(value).sort();
    return `{${names.map((n) => `${JSON.stringify(n)}:${canonNative(own(value, n))}`).join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function own(object: object, name: string): unknown {
  return Object.getOwnPropertyDescriptor(object, name)?.value;
}

/** `a.b[2]."x.y"` → ['a', 'b', 2, 'x.y']: the diff's path format (names bare or JSON-quoted). */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '.') i++;
    if (path[i] === '[') {
      const end = path.indexOf(']', i);
      out.push(Number(path.slice(i + 1, end)));
      i = end + 1;
    } else if (path[i] === '"') {
      let end = i + 1;
      while (path[end] !== '"') end += path[end] === '\\' ? 2 : 1;
      out.push(JSON.parse(path.slice(i, end + 1)) as string);
      i = end + 1;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      out.push(path.slice(i, end));
      i = end;
    }
  }
  return out;
}

/** The value at a diff path, or undefined when the path leads nowhere. */
export function valueAt(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const segment of parsePath(path)) {
    if (typeof segment === 'number') at = Array.isArray(at) ? at[segment] : undefined;
    else at = at !== null && typeof at === 'object' && !Array.isArray(at) && Object.hasOwn(at, segment) ? own(at, segment) : undefined;
  }
  return at;
}

interface Entry {
  path: string;
  op: 'add' | 'remove' | 'change';
  to?: unknown;
}

/** Applies diff entries to a value: adds and changes in order, then removals from the last. */
export function patchNative(root: unknown, entries: readonly Entry[]): unknown {
  for (const entry of entries) if (entry.op !== 'remove') setAt(root, parsePath(entry.path), entry.to, false);
  for (const entry of [...entries].reverse()) if (entry.op === 'remove') setAt(root, parsePath(entry.path), undefined, true);
  return root;
}

function setAt(root: unknown, segments: (string | number)[], value: unknown, remove: boolean): void {
  const parent = segments.slice(0, -1).reduce<unknown>((at, s) => (typeof s === 'number' ? (at as unknown[])[s] : own(at as object, s)), root);
  const last = segments.at(-1)!;
  if (typeof last === 'number') {
    if (remove) (parent as unknown[]).splice(last, 1);
    else (parent as unknown[])[last] = value;
  } else if (remove) {
    delete (parent as Record<string, unknown>)[last];
  } else {
    Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  }
}
