/** One sample of a Prometheus text exposition: metric name, labels, value. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: string;
  help: string;
  samples: PromSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

const unescape = (v: string) => v.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));

/** Like Prometheus (Go's ParseFloat): NaN and ±Inf in any case (prom-client writes `Nan` before a first sample). */
function parseValue(v: string): number {
  const l = v.toLowerCase();
  if (l === '+inf' || l === 'inf') return Number.POSITIVE_INFINITY;
  if (l === '-inf') return Number.NEGATIVE_INFINITY;
  if (l === 'nan') return Number.NaN;
  return v.trim() === '' ? Number.NaN : Number(v);
}

/**
 * Parses the Prometheus text format (version 0.0.4) strictly: every line must be a comment, blank, or a valid sample;
 * throws naming the line otherwise. Samples of histograms (_bucket/_sum/_count) are grouped under their family.
 */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (m) {
        const f = family(m[2] as string);
        if (m[1] === 'TYPE') f.type = m[3] as string;
        else f.help = m[3] as string;
      }
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a Prometheus sample: ${line.slice(0, 200)}`);
    const name = m[1] as string;
    const labels: Record<string, string> = {};
    if (m[3]) {
      LABEL.lastIndex = 0;
      let consumed = 0;
      let l: RegExpExecArray | null;
      while ((l = LABEL.exec(m[3])) !== null) {
        labels[l[1] as string] = unescape(l[2] as string);
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[3].length) throw new Error(`line ${i + 1}: malformed labels: ${line.slice(0, 200)}`);
    }
    const value = parseValue(m[4] as string);
    if (Number.isNaN(value) && (m[4] as string).toLowerCase() !== 'nan') throw new Error(`line ${i + 1}: bad value ${m[4]}`);
    const base = families.has(name) ? name : name.replace(/_(bucket|sum|count|total|created)$/, '');
    family(families.has(base) ? base : name).samples.push({ name, labels, value });
  });
  return families;
}
