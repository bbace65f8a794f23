import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { MetricBucket } from '@crowdsafe/server-database';
import type { ReportData } from './report-data';

const LEVEL_FILL: Record<string, string> = { SAFE: 'FFC8E6C9', CAUTION: 'FFFFF59D', WARNING: 'FFFFCC80', CRITICAL: 'FFEF9A9A' };

/** Excel sheet names: ≤ 31 chars, none of []:*?/\, unique (case-insensitive). */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 28) || 'Camera';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 27 - String(i).length)} (${i})`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

const COLUMNS: { header: string; key: string; width: number; numFmt?: string; value: (b: MetricBucket) => unknown }[] = [
  { header: 'Time', key: 'time', width: 18, numFmt: 'yyyy-mm-dd hh:mm', value: (b) => new Date(b.time) },
  { header: 'Mean people', key: 'count', width: 12, numFmt: '0.00', value: (b) => b.count },
  { header: 'Peak people', key: 'countMax', width: 12, numFmt: '0', value: (b) => b.countMax },
  { header: 'Mean density (p/m²)', key: 'density', width: 18, numFmt: '0.000', value: (b) => b.density },
  { header: 'Mean velocity (m/s)', key: 'velocity', width: 18, numFmt: '0.00', value: (b) => b.velocity },
  { header: 'Peak surge', key: 'surge', width: 11, numFmt: '0.000', value: (b) => b.surge },
  { header: 'Flow in', key: 'flowIn', width: 9, numFmt: '0', value: (b) => b.flowIn },
  { header: 'Flow out', key: 'flowOut', width: 9, numFmt: '0', value: (b) => b.flowOut },
  { header: 'Peak risk score', key: 'riskScore', width: 14, numFmt: '0.000', value: (b) => b.riskScore },
  { header: 'Peak risk level', key: 'riskLevel', width: 14, value: (b) => b.riskLevel },
  { header: 'Seconds of data', key: 'samples', width: 14, numFmt: '0', value: (b) => b.samples },
];

const LEVEL_COL = COLUMNS.findIndex((c) => c.key === 'riskLevel') + 1;
const LEVEL_STYLE = Object.fromEntries(Object.entries(LEVEL_FILL).map(([k, argb]) => [k, { type: 'pattern', pattern: 'solid', fgColor: { argb } } as ExcelJS.Fill]));

/** A per-minute sheet, streamed: each row is committed (written out) as soon as it is added, so memory stays flat. */
async function dataSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, buckets: MetricBucket[]): Promise<void> {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  styleHeader(ws);
  for (const b of buckets) {
    const row = ws.addRow(COLUMNS.map((c) => c.value(b) ?? null));
    const fill = b.riskLevel ? LEVEL_STYLE[b.riskLevel] : undefined;
    if (fill) row.getCell(LEVEL_COL).fill = fill;
    row.commit();
  }
  ws.commit();
}

function styleHeader(ws: ExcelJS.Worksheet): void {
  const h = ws.getRow(1);
  h.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  h.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF37474F' } };
  h.alignment = { vertical: 'middle' };
  h.commit();
}

/**
 * The Excel workbook: a Summary sheet, an Alerts sheet, and one sheet per camera with the raw per-minute data
 * (frozen header row, auto-filter, number formats, risk level coloured). Streamed (exceljs WorkbookWriter): rows are
 * written out as they are added, so a week of 8 cameras does not hold ~80k cell models in memory. Incident: the alert with its timeline and
 * the 10-s metrics around the trigger.
 */
export async function renderXlsx(data: ReportData): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => (out.on('end', resolve), out.on('error', reject)));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'CrowdSafe';
  wb.created = data.generatedAt;
  wb.title = data.title;
  const taken = new Set<string>(['summary', 'alerts', 'incident', 'timeline']);
  const inc = data.incident;
  if (inc) {
    const ws = wb.addWorksheet('Incident');
    ws.columns = [{ header: 'Field', key: 'k', width: 22 }, { header: 'Value', key: 'v', width: 80 }];
    const a = inc.alert;
    styleHeader(ws);
    for (const [k, v] of [['Title', data.title], ['Alert', a.id], ['Camera', inc.cameraName], ['Level', a.level], ['Condition', a.condition], ['Triggered', new Date(a.createdAt)], ['Status', a.status], ['Message', a.message], ['Channels notified', a.channelsNotified.join(', ')], ['Clip', inc.clipUrl ?? 'no recording (recordings are not built yet)']] as [string, unknown][]) {
      const row = ws.addRow([k, v]);
      if (v instanceof Date) row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
      row.commit();
    }
    ws.commit();
    const tl = wb.addWorksheet('Timeline', { views: [{ state: 'frozen', ySplit: 1 }] });
    tl.columns = [{ header: 'Time', key: 'at', width: 20, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } }, { header: 'Event', key: 'event', width: 22 }, { header: 'Detail', key: 'detail', width: 90 }];
    styleHeader(tl);
    for (const t of inc.timeline) tl.addRow([t.at, t.event, t.detail]).commit();
    tl.commit();
    await dataSheet(wb, sheetName(`${inc.cameraName} 10s`, taken), inc.around);
  } else {
    const ws = wb.addWorksheet('Summary', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: 'Camera', key: 'name', width: 28 },
      { header: 'Location', key: 'location', width: 20 },
      { header: 'Mean people', key: 'countAvg', width: 12, style: { numFmt: '0.0' } },
      { header: 'Peak people', key: 'countPeak', width: 12, style: { numFmt: '0' } },
      { header: 'Peak at', key: 'countPeakAt', width: 18, style: { numFmt: 'yyyy-mm-dd hh:mm' } },
      { header: 'Mean density (p/m²)', key: 'densityAvg', width: 18, style: { numFmt: '0.000' } },
      { header: 'Peak density (p/m²)', key: 'densityPeak', width: 18, style: { numFmt: '0.000' } },
      { header: 'Mean risk score', key: 'riskAvg', width: 14, style: { numFmt: '0.000' } },
      { header: 'Seconds at WARNING', key: 'warn', width: 18, style: { numFmt: '0' } },
      { header: 'Seconds at CRITICAL', key: 'crit', width: 18, style: { numFmt: '0' } },
      { header: 'Alerts', key: 'alerts', width: 8, style: { numFmt: '0' } },
      { header: 'Data coverage %', key: 'uptime', width: 15, style: { numFmt: '0.0' } },
    ];
    styleHeader(ws);
    for (const c of data.cameras) {
      const s = c.summary;
      ws.addRow({ name: c.name, location: c.location, countAvg: s.countAvg, countPeak: s.countPeak, countPeakAt: s.countPeakAt, densityAvg: s.densityAvg, densityPeak: s.densityPeak, riskAvg: s.riskScoreAvg, warn: s.secondsAtLevel.WARNING ?? 0, crit: s.secondsAtLevel.CRITICAL ?? 0, alerts: c.alerts, uptime: s.uptimePercent }).commit();
    }
    ws.commit();
    for (const c of data.cameras) await dataSheet(wb, sheetName(c.name, taken), c.minutes);
  }
  const al = wb.addWorksheet('Alerts', { views: [{ state: 'frozen', ySplit: 1 }] });
  al.columns = [
    { header: 'Time', key: 'at', width: 18, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } },
    { header: 'Camera', key: 'camera', width: 24 },
    { header: 'Level', key: 'level', width: 10 },
    { header: 'Condition', key: 'condition', width: 18 },
    { header: 'Status', key: 'status', width: 13 },
    { header: 'Acknowledged', key: 'ack', width: 18, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } },
    { header: 'Resolved', key: 'res', width: 18, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } },
    { header: 'Message', key: 'message', width: 80 },
  ];
  const names = new Map(data.cameras.map((c) => [c.id, c.name]));
  styleHeader(al);
  for (const a of data.alerts) al.addRow({ at: new Date(a.createdAt), camera: names.get(a.cameraId) ?? a.cameraId, level: a.level, condition: a.condition, status: a.status, ack: a.acknowledgedAt, res: a.resolvedAt, message: a.message }).commit();
  al.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}
