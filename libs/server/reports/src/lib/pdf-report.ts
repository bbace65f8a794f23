import PdfPrinter from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { MetricBucket } from '@crowdsafe/server-database';
import type { ReportData } from './report-data';
import { lineChartSvg } from './svg-chart';

const FONTS = { Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } };
const LEVEL_COLOR: Record<string, string> = { SAFE: '#2e7d32', CAUTION: '#f9a825', WARNING: '#ef6c00', CRITICAL: '#c62828' };

const n = (v: number | null | undefined, d = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const when = (d: Date | string | null | undefined) => {
  if (!d) return '–';
  const x = new Date(d);
  return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')} ${String(x.getHours()).padStart(2, '0')}:${String(x.getMinutes()).padStart(2, '0')}`;
};
const hms = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`);
const th = (text: string): TableCell => ({ text, style: 'th' });

/** Buckets of a long range re-grouped so a chart shows at most ~1000 points (10-min buckets for a week). */
function chartTimes(b: MetricBucket[]): Date[] {
  return b.map((x) => new Date(x.time));
}

function summaryTable(data: ReportData): Content {
  const body: TableCell[][] = [[th('Camera'), th('Avg people'), th('Peak people'), th('Peak at'), th('Avg density p/m²'), th('Peak density'), th('Avg risk'), th('Warning + critical'), th('Alerts'), th('Data %')]];
  for (const c of data.cameras) {
    const s = c.summary;
    body.push([
      c.name,
      n(s.countAvg),
      n(s.countPeak, 0),
      when(s.countPeakAt),
      n(s.densityAvg, 2),
      n(s.densityPeak, 2),
      n(s.riskScoreAvg, 2),
      hms((s.secondsAtLevel.WARNING ?? 0) + (s.secondsAtLevel.CRITICAL ?? 0)),
      String(c.alerts),
      n(s.uptimePercent, 0),
    ]);
  }
  return { table: { headerRows: 1, widths: ['*', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'], body }, layout: 'lightHorizontalLines', fontSize: 7, margin: [0, 4, 0, 10] };
}

function cameraSection(c: ReportData['cameras'][number], marker?: { at: Date; label: string }): Content[] {
  const times = chartTimes(c.minutes);
  const out: Content[] = [{ text: `${c.name}${c.location ? ` — ${c.location}` : ''}`, style: 'h2' }];
  if (!c.minutes.length) return [...out, { text: 'No data stored for this camera in the range.', italics: true, margin: [0, 0, 0, 8] }];
  out.push({ svg: lineChartSvg({ title: 'People (mean and peak per minute)', times, unit: 'people', marker, series: [{ name: 'mean', color: '#1565c0', values: c.minutes.map((b) => b.count) }, { name: 'peak', color: '#ef6c00', values: c.minutes.map((b) => b.countMax) }] }), width: 515 });
  if (c.minutes.some((b) => b.density !== null)) {
    out.push({ svg: lineChartSvg({ title: 'Density (people/m²) and risk score', times, marker, series: [{ name: 'density', color: '#6a1b9a', values: c.minutes.map((b) => b.density) }, { name: 'risk score', color: '#c62828', values: c.minutes.map((b) => b.riskScore) }] }), width: 515 });
  }
  const s = c.summary;
  out.push({
    columns: (['SAFE', 'CAUTION', 'WARNING', 'CRITICAL'] as const).map((l) => ({ text: [{ text: `${l}  `, color: LEVEL_COLOR[l], bold: true }, hms(s.secondsAtLevel[l] ?? 0)], fontSize: 8 })),
    margin: [0, 2, 0, 2],
  });
  out.push({ text: `Flow in ${n(s.flowIn, 0)} · out ${n(s.flowOut, 0)} · first data ${when(s.first)} · last ${when(s.last)}`, fontSize: 8, margin: [0, 0, 0, 10] });
  return out;
}

function alertsTable(data: ReportData): Content {
  const names = new Map(data.cameras.map((c) => [c.id, c.name]));
  const body: TableCell[][] = [[th('Time'), th('Camera'), th('Level'), th('Condition'), th('Status'), th('Message')]];
  for (const a of data.alerts) body.push([when(a.createdAt), names.get(a.cameraId) ?? a.cameraId, { text: a.level, color: LEVEL_COLOR[a.level] ?? '#000', bold: true }, a.condition, a.status, a.message.slice(0, 160)]);
  return { table: { headerRows: 1, widths: ['auto', 'auto', 'auto', 'auto', 'auto', '*'], body }, layout: 'lightHorizontalLines', fontSize: 7 };
}

/** The PDF document definition (pdfmake); charts are SVG vector graphics, the incident snapshot a JPEG. */
export function pdfDefinition(data: ReportData, siteName = 'CrowdSafe'): TDocumentDefinitions {
  const p = data.params;
  const content: Content[] = [
    { text: data.title, style: 'h1' },
    { text: `${siteName} · ${when(p.from)} to ${when(p.to)} (server time) · generated ${when(data.generatedAt)}`, fontSize: 8, color: '#555', margin: [0, 0, 0, 8] },
  ];
  const inc = data.incident;
  if (inc) {
    const a = inc.alert;
    content.push({
      table: {
        widths: ['auto', '*'],
        body: [
          ['Alert', a.id],
          ['Camera', inc.cameraName],
          ['Level', { text: a.level, color: LEVEL_COLOR[a.level] ?? '#000', bold: true }],
          ['Condition', a.condition],
          ['Triggered', when(a.createdAt)],
          ['Status', a.status],
          ['Message', a.message],
          ['Channels notified', a.channelsNotified.join(', ') || '–'],
          ['Clip', inc.clipUrl ?? 'no recording (recordings are not built yet)'],
        ],
      },
      layout: 'noBorders',
      fontSize: 8,
      margin: [0, 0, 0, 8],
    });
    content.push({ text: 'Timeline', style: 'h2' });
    content.push({ table: { headerRows: 1, widths: ['auto', 'auto', '*'], body: [[th('Time'), th('Event'), th('Detail')], ...inc.timeline.map((t) => [when(t.at) + `:${String(t.at.getSeconds()).padStart(2, '0')}`, t.event, t.detail])] }, layout: 'lightHorizontalLines', fontSize: 7, margin: [0, 0, 0, 8] });
    const times = inc.around.map((b) => new Date(b.time));
    content.push({ text: 'Metrics 30 min before and after the trigger (10-s buckets)', style: 'h2' });
    if (inc.around.length) {
      const marker = { at: new Date(a.createdAt), label: 'trigger' };
      content.push({ svg: lineChartSvg({ title: 'People', times, unit: 'people', marker, series: [{ name: 'mean', color: '#1565c0', values: inc.around.map((b) => b.count) }, { name: 'peak', color: '#ef6c00', values: inc.around.map((b) => b.countMax) }] }), width: 515 });
      content.push({ svg: lineChartSvg({ title: 'Density (people/m²) and risk score', times, marker, series: [{ name: 'density', color: '#6a1b9a', values: inc.around.map((b) => b.density) }, { name: 'risk score', color: '#c62828', values: inc.around.map((b) => b.riskScore) }] }), width: 515 });
      const before = inc.around.filter((b) => new Date(b.time) < new Date(a.createdAt));
      const after = inc.around.filter((b) => new Date(b.time) >= new Date(a.createdAt));
      const avg = (xs: MetricBucket[], f: (b: MetricBucket) => number | null) => {
        const v = xs.map(f).filter((x): x is number => x !== null);
        return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null;
      };
      content.push({
        table: { headerRows: 1, widths: ['*', 'auto', 'auto'], body: [[th(''), th('Before trigger'), th('After trigger')], ['Mean people', n(avg(before, (b) => b.count)), n(avg(after, (b) => b.count))], ['Mean density', n(avg(before, (b) => b.density), 2), n(avg(after, (b) => b.density), 2)], ['Mean risk score', n(avg(before, (b) => b.riskScore), 2), n(avg(after, (b) => b.riskScore), 2)]] },
        layout: 'lightHorizontalLines',
        fontSize: 8,
        margin: [0, 0, 0, 8],
      });
    } else content.push({ text: 'No metrics stored around the trigger.', italics: true });
    if (inc.snapshot) {
      content.push({ text: 'Snapshot of the triggering frame', style: 'h2', pageBreak: 'before' });
      content.push({ image: `data:image/jpeg;base64,${inc.snapshot.toString('base64')}`, fit: [515, 400] });
    } else content.push({ text: 'No snapshot was saved for this alert.', italics: true, fontSize: 8 });
  } else {
    content.push({ text: 'Summary', style: 'h2' });
    content.push(summaryTable(data));
    for (const c of data.cameras) content.push(...cameraSection(c));
    content.push({ text: `Alerts (${data.alertsTotal}${data.alertsTotal > data.alerts.length ? `, first ${data.alerts.length} listed` : ''})`, style: 'h2' });
    content.push(data.alerts.length ? alertsTable(data) : { text: 'No alerts in this range.', italics: true, fontSize: 8 });
  }
  return {
    info: { title: data.title, creator: 'CrowdSafe', producer: 'CrowdSafe (pdfmake)' },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: 'Helvetica', fontSize: 9 },
    styles: { h1: { fontSize: 16, bold: true, margin: [0, 0, 0, 2] }, h2: { fontSize: 11, bold: true, margin: [0, 6, 0, 4] }, th: { bold: true, fillColor: '#eeeeee' } },
    footer: (page: number, pages: number) => ({ text: `${data.title} · page ${page} of ${pages}`, alignment: 'center', fontSize: 7, color: '#777', margin: [0, 10, 0, 0] }),
    content,
  };
}

/** Renders the PDF into a Buffer. */
export function renderPdf(data: ReportData, siteName?: string): Promise<Buffer> {
  const printer = new PdfPrinter(FONTS);
  const doc = printer.createPdfKitDocument(pdfDefinition(data, siteName));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
