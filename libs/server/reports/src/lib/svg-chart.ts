/** One line of a chart: values aligned with the chart's times (null = gap). */
export interface ChartSeries {
  name: string;
  color: string;
  values: (number | null)[];
}

export interface LineChartInput {
  title: string;
  times: Date[];
  series: ChartSeries[];
  width?: number;
  height?: number;
  /** y axis label, e.g. "people". */
  unit?: string;
  /** Vertical marker (incident trigger). */
  marker?: { at: Date; label: string };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A "nice" axis step (1, 2, 5 × 10^n) giving about `ticks` intervals. */
export function niceStep(span: number, ticks = 4): number {
  if (!(span > 0)) return 1;
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

/** At most `max` points per series (min/max kept per bucket, so peaks survive): PDFs stay small for a week of minutes. */
export function decimate(times: Date[], values: (number | null)[], max: number): { times: Date[]; values: (number | null)[] } {
  if (times.length <= max) return { times, values };
  const per = Math.ceil(times.length / (max / 2));
  const t: Date[] = [];
  const v: (number | null)[] = [];
  for (let i = 0; i < times.length; i += per) {
    let lo = -1;
    let hi = -1;
    for (let j = i; j < Math.min(times.length, i + per); j++) {
      const x = values[j];
      if (x === null || x === undefined) continue;
      if (lo < 0 || x < (values[lo] as number)) lo = j;
      if (hi < 0 || x > (values[hi] as number)) hi = j;
    }
    if (lo < 0) {
      t.push(times[i] as Date);
      v.push(null);
      continue;
    }
    for (const j of lo <= hi ? [lo, hi] : [hi, lo]) {
      if (t.length && t[t.length - 1] === times[j]) continue;
      t.push(times[j] as Date);
      v.push(values[j] as number);
    }
  }
  return { times: t, values: v };
}

/**
 * A line chart as a standalone SVG document (vector graphics embedded as-is in the PDF by pdfmake). Pure: axes with
 * nice ticks, time labels, one polyline per series (gaps break the line), a legend and an optional marker.
 */
export function lineChartSvg(input: LineChartInput): string {
  const W = input.width ?? 515;
  const H = input.height ?? 180;
  const m = { l: 44, r: 10, t: 22, b: 34 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const times = input.times;
  const t0 = times[0]?.getTime() ?? 0;
  const t1 = times[times.length - 1]?.getTime() ?? t0 + 1;
  const all = input.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const ymax0 = all.length ? Math.max(...all) : 1;
  const ymin = Math.min(0, ...(all.length ? all : [0]));
  const step = niceStep(ymax0 - ymin || 1);
  const ymax = Math.max(step, Math.ceil(ymax0 / step) * step);
  const decimals = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
  const fmt = (v: number) => v.toFixed(decimals);
  const x = (t: number) => m.l + (t1 > t0 ? ((t - t0) / (t1 - t0)) * pw : pw / 2);
  const y = (v: number) => m.t + ph - ((v - ymin) / (ymax - ymin || 1)) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);
  out.push(`<text x="${m.l}" y="13" font-size="10" font-weight="bold" fill="#222">${esc(input.title)}</text>`);
  for (let v = ymin; v <= ymax + step / 1000; v += step) {
    out.push(`<line x1="${m.l}" y1="${y(v).toFixed(1)}" x2="${m.l + pw}" y2="${y(v).toFixed(1)}" stroke="#ddd" stroke-width="0.5"/>`);
    out.push(`<text x="${m.l - 4}" y="${(y(v) + 3).toFixed(1)}" font-size="7" text-anchor="end" fill="#555">${fmt(v)}</text>`);
  }
  if (input.unit) out.push(`<text x="4" y="${m.t + 6}" font-size="7" fill="#555">${esc(input.unit)}</text>`);
  const span = t1 - t0;
  const labels = 6;
  for (let i = 0; i <= labels && times.length; i++) {
    const t = t0 + (span * i) / labels;
    const d = new Date(t);
    const label = span > 2 * 86_400_000 ? `${d.getMonth() + 1}/${d.getDate()} ${String(d.getHours()).padStart(2, '0')}h` : `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    out.push(`<text x="${x(t).toFixed(1)}" y="${m.t + ph + 12}" font-size="7" text-anchor="middle" fill="#555">${label}</text>`);
  }
  out.push(`<line x1="${m.l}" y1="${m.t + ph}" x2="${m.l + pw}" y2="${m.t + ph}" stroke="#888" stroke-width="0.7"/>`);
  for (const s of input.series) {
    const d = decimate(times, s.values, Math.max(50, Math.floor(pw * 2)));
    let path = '';
    let pen = false;
    d.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${x((d.times[i] as Date).getTime()).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    if (path) out.push(`<path d="${path.trim()}" fill="none" stroke="${s.color}" stroke-width="1"/>`);
  }
  if (input.marker) {
    const mx = x(input.marker.at.getTime()).toFixed(1);
    out.push(`<line x1="${mx}" y1="${m.t}" x2="${mx}" y2="${m.t + ph}" stroke="#c00" stroke-width="1" stroke-dasharray="3 2"/>`);
    out.push(`<text x="${mx}" y="${m.t - 2}" font-size="7" text-anchor="middle" fill="#c00">${esc(input.marker.label)}</text>`);
  }
  input.series.forEach((s, i) => {
    const lx = m.l + i * 110;
    out.push(`<rect x="${lx}" y="${H - 10}" width="8" height="3" fill="${s.color}"/><text x="${lx + 11}" y="${H - 7}" font-size="7" fill="#333">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
