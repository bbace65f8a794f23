/**
 * A small parser for Python literals as written by `str()`/`repr()` (what Ultralytics puts in ONNX metadata):
 * dicts, lists, tuples, quoted strings with escapes, ints, floats, True/False/None.
 */

export type PyKey = string | number | boolean | null;
export type PyLiteral = PyKey | PyLiteral[] | Map<PyKey, PyLiteral>;

export class PythonLiteralError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonLiteralError';
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

class Parser {
  private pos = 0;
  constructor(private readonly s: string) {}

  parseAll(): PyLiteral {
    const v = this.value();
    this.ws();
    if (this.pos < this.s.length) this.fail(`unexpected '${this.s[this.pos]}'`);
    return v;
  }

  private fail(msg: string): never {
    throw new PythonLiteralError(`${msg} at offset ${this.pos} of ${JSON.stringify(this.s.length > 60 ? this.s.slice(0, 57) + '...' : this.s)}`);
  }

  private ws(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }

  private value(): PyLiteral {
    this.ws();
    const c = this.s[this.pos];
    if (c === undefined) this.fail('unexpected end of input');
    if (c === '{') return this.dict();
    if (c === '[') return this.seq('[', ']');
    if (c === '(') return this.seq('(', ')');
    if (c === "'" || c === '"') return this.str();
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.num();
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (this.s.startsWith(word, this.pos) && !/[A-Za-z0-9_]/.test(this.s[this.pos + word.length] ?? '')) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(`unexpected '${c}'`);
  }

  private dict(): Map<PyKey, PyLiteral> {
    const m = new Map<PyKey, PyLiteral>();
    this.pos++; // {
    for (;;) {
      this.ws();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return m;
      }
      const k = this.value();
      if (k !== null && typeof k === 'object') this.fail('unhashable dict key');
      this.ws();
      if (this.s[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      m.set(k, this.value());
      this.ws();
      const sep = this.s[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== '}') this.fail("expected ',' or '}'");
    }
  }

  private seq(open: string, close: string): PyLiteral[] {
    const items: PyLiteral[] = [];
    this.pos++; // open
    for (;;) {
      this.ws();
      if (this.s[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.value());
      this.ws();
      const sep = this.s[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== close) this.fail(`expected ',' or '${close}' after item of '${open}'`);
    }
  }

  private str(): string {
    // Adjacent literals concatenate, as in Python ('a' "b" == 'ab').
    let out = '';
    do {
      out += this.oneStr();
      this.ws();
    } while (this.s[this.pos] === "'" || this.s[this.pos] === '"');
    return out;
  }

  private oneStr(): string {
    const q = this.s[this.pos++];
    let out = '';
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) this.fail('unterminated string');
      if (c === q) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === undefined) this.fail('unterminated escape');
      if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
      else if (e === 'x') out += this.hexChar(2);
      else if (e === 'u') out += this.hexChar(4);
      else if (e === 'U') out += this.hexChar(8);
      else if (e === '\n') continue; // line continuation
      else out += '\\' + e; // Python keeps unknown escapes verbatim
    }
  }

  private hexChar(len: number): string {
    const hex = this.s.slice(this.pos, this.pos + len);
    if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) this.fail(`bad \\x/\\u escape '${hex}'`);
    this.pos += len;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) this.fail(`code point ${hex} out of range`);
    return String.fromCodePoint(cp);
  }

  private num(): number {
    const m = /^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.pos));
    if (!m) this.fail('bad number');
    this.pos += m[0].length;
    const v = Number(m[0].replace(/_/g, ''));
    if (!Number.isFinite(v)) this.fail(`bad number '${m[0]}'`);
    return v;
  }
}

/** Parse one Python literal. Throws PythonLiteralError naming the offset of the problem. */
export function parsePythonLiteral(text: string): PyLiteral {
  return new Parser(text).parseAll();
}
