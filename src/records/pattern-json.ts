/**
 * A strict JSON reader for filter patterns. JSON.parse would do, but it turns `300.0` into 300
 * (Lambda compares number tokens as written), keeps the last of two equal keys silently, and its
 * messages name no column. Patterns are small, so a plain recursive reader costs nothing.
 */

export type PatternJson =
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; raw: string; value: number; at: number }
  | { type: 'boolean'; value: boolean; at: number }
  | { type: 'null'; at: number }
  | { type: 'array'; items: PatternJson[]; at: number }
  | { type: 'object'; entries: Array<[string, PatternJson]>; at: number };

export type PatternObject = Extract<PatternJson, { type: 'object' }>;
export type PatternList = Extract<PatternJson, { type: 'array' }>;

export class PatternJsonError extends Error {
  override readonly name = 'PatternJsonError';
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export function parsePatternJson(text: string): PatternJson {
  const reader = new Reader(text);
  reader.skipSpace();
  const value = reader.value();
  reader.skipSpace();
  if (!reader.done()) throw reader.error(`unexpected ${reader.describeHere()} after the end of the pattern`);
  return value;
}

/** "line 2, column 5" for multi-line text, "column 5" otherwise (1-based). */
export function describeOffset(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.pos >= this.text.length;
  }

  error(message: string, at = this.pos): PatternJsonError {
    return new PatternJsonError(message, at);
  }

  describeHere(): string {
    if (this.done()) return 'end of text';
    const char = this.text[this.pos] ?? '';
    return `'${char}'`;
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  value(): PatternJson {
    const char = this.text[this.pos];
    switch (char) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return { type: 'string', at: this.pos, value: this.string() };
      case 't':
        return this.literal('true', { type: 'boolean', value: true, at: this.pos });
      case 'f':
        return this.literal('false', { type: 'boolean', value: false, at: this.pos });
      case 'n':
        return this.literal('null', { type: 'null', at: this.pos });
      default:
        if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
        if (char === undefined) throw this.error('the pattern ends early: expected a value');
        if (char === "'") throw this.error("found ' where JSON needs a double quote \"");
        throw this.error(`expected a value, found ${this.describeHere()}${bareWordHint(char)}`);
    }
  }

  private literal<T extends PatternJson>(word: string, node: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return node;
    }
    throw this.error(`expected a value, found ${this.describeHere()}${bareWordHint(this.text[this.pos] ?? '')}`);
  }

  private object(): PatternJson {
    const at = this.pos;
    this.pos++; // {
    const entries: Array<[string, PatternJson]> = [];
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { type: 'object', entries, at };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') {
        const found = this.text[this.pos] ?? '';
        if (found === "'") throw this.error("found ' where JSON needs a double quote \"");
        throw this.error(`expected a field name in double quotes, found ${this.describeHere()}${bareWordHint(found)}`);
      }
      const keyAt = this.pos;
      const key = this.string();
      if (seen.has(key)) throw this.error(`field "${key}" appears twice in the same object`, keyAt);
      seen.add(key);
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw this.error(`expected ':' after "${key}", found ${this.describeHere()}`);
      this.pos++;
      this.skipSpace();
      entries.push([key, this.value()]);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === '}') {
        this.pos++;
        return { type: 'object', entries, at };
      }
      throw this.error(`expected ',' or '}' after the value of "${key}", found ${this.describeHere()}`);
    }
  }

  private array(): PatternJson {
    const at = this.pos;
    this.pos++; // [
    const items: PatternJson[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { type: 'array', items, at };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value());
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        return { type: 'array', items, at };
      }
      throw this.error(`expected ',' or ']' in a list, found ${this.describeHere()}`);
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.done()) throw this.error('a string is not closed (missing ")', start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 34 /* " */) {
        out += this.text.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 32) throw this.error('a control character (such as a newline) inside a string must be escaped');
      if (c === 92 /* \ */) {
        out += this.text.slice(chunk, this.pos);
        out += this.escape();
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private escape(): string {
    const at = this.pos;
    const code = this.text[this.pos + 1];
    this.pos += 2;
    switch (code) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u': {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('\\u must be followed by 4 hex digits', at);
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        throw this.error(`"\\${code ?? ''}" is not a JSON escape`, at);
    }
  }

  private number(): PatternJson {
    const at = this.pos;
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) throw this.error(`expected a number, found ${this.describeHere()}`);
    const raw = match[0];
    this.pos += raw.length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE+\-a-zA-Z]/.test(next)) {
      throw this.error(`"${raw}${next}" is not a JSON number`, at);
    }
    return { type: 'number', raw, value: Number(raw), at };
  }
}

function bareWordHint(char: string): string {
  return /[A-Za-z_$]/.test(char) ? ' (strings and field names need double quotes; in a shell, wrap the whole pattern in single quotes)' : '';
}
