import { parsePythonLiteral, type PyLiteral } from './python-literal';

/** What an Ultralytics export says about itself in its ONNX metadata_props. Every field is optional. */
export interface UltralyticsMetadata {
  task?: string;
  /** Input size as [height, width]. */
  imgsz?: [number, number];
  /** Class names by class id. */
  names?: Record<number, string>;
  /** Number of classes (= number of names) when names are present. */
  numClasses?: number;
  /** Largest stride of the detect head. */
  stride?: number;
  batch?: number;
  dynamic?: boolean;
  half?: boolean;
  channels?: number;
  author?: string;
  version?: string;
  date?: string;
  description?: string;
  license?: string;
  /** One line per metadata value that was present but could not be parsed (the field is then left out). */
  problems: string[];
}

function asInt(v: PyLiteral): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function asBool(v: PyLiteral): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function parseImgsz(v: PyLiteral): [number, number] | undefined {
  const ok = (n: PyLiteral): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 1 && ok(v[0])) return [v[0], v[0]];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  return undefined;
}

function parseNames(v: PyLiteral): Record<number, string> | undefined {
  const names: Record<number, string> = {};
  if (Array.isArray(v)) {
    // Older exports wrote a list.
    for (let i = 0; i < v.length; i++) {
      const name = v[i];
      if (typeof name !== 'string') return undefined;
      names[i] = name;
    }
    return names;
  }
  if (!(v instanceof Map)) return undefined;
  for (const [k, name] of v) {
    const id = typeof k === 'string' && /^\d+$/.test(k) ? Number(k) : k;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || typeof name !== 'string') return undefined;
    names[id] = name;
  }
  return names;
}

function parseStride(v: PyLiteral): number | undefined {
  if (asInt(v) !== undefined) return v as number;
  if (Array.isArray(v) && v.length > 0 && v.every((s) => asInt(s) !== undefined)) return Math.max(...(v as number[]));
  return undefined;
}

/**
 * Interpret Ultralytics metadata_props (values are Python literals: `[640, 640]`, `{0: 'person', ...}`, `True`).
 * Unparseable values are reported in `problems` instead of throwing, so the caller decides what is fatal.
 * Newer exports keep batch/dynamic/half inside an `args` dict; top-level keys win over `args`.
 */
export function parseUltralyticsMetadata(props: Readonly<Record<string, string>>): UltralyticsMetadata {
  const out: UltralyticsMetadata = { problems: [] };
  const has = (k: string) => Object.prototype.hasOwnProperty.call(props, k);
  const literal = (key: string): PyLiteral | undefined => {
    if (!has(key)) return undefined;
    try {
      return parsePythonLiteral(props[key]);
    } catch (e) {
      out.problems.push(`${key}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const field = <T>(key: string, parse: (v: PyLiteral) => T | undefined, what: string, v = literal(key)): T | undefined => {
    if (v === undefined) return undefined;
    const r = parse(v);
    if (r === undefined) out.problems.push(`${key}: expected ${what}, got ${JSON.stringify(props[key]).slice(0, 80)}`);
    return r;
  };

  for (const k of ['task', 'author', 'version', 'date', 'description', 'license'] as const) {
    if (has(k)) out[k] = props[k].trim();
  }
  out.imgsz = field('imgsz', parseImgsz, 'an int or [h, w]');
  out.names = field('names', parseNames, "a dict like {0: 'person'}");
  if (out.names) out.numClasses = Object.keys(out.names).length;
  out.stride = field('stride', parseStride, 'an int');
  out.batch = field('batch', asInt, 'an int');
  out.dynamic = field('dynamic', asBool, 'True or False');
  out.half = field('half', asBool, 'True or False');
  out.channels = field('channels', asInt, 'an int');

  const args = literal('args');
  if (args instanceof Map) {
    if (out.batch === undefined && args.has('batch')) out.batch = asInt(args.get('batch') ?? null);
    if (out.dynamic === undefined && args.has('dynamic')) out.dynamic = asBool(args.get('dynamic') ?? null);
    if (out.half === undefined && args.has('half')) out.half = asBool(args.get('half') ?? null);
  } else if (args !== undefined) {
    out.problems.push('args: expected a dict');
  }
  for (const k of Object.keys(out) as (keyof UltralyticsMetadata)[]) if (out[k] === undefined) delete out[k];
  return out;
}
