import type { AlertPayload } from '../delivery.types';
import { buildEmail } from './email-content';
import { buildPushPayload } from './push-payload';

const base: AlertPayload = {
  alertId: 'a1',
  event: 'opened',
  cameraId: 'c1',
  cameraName: 'Gate 3',
  cameraLocation: 'North stand',
  level: 'CRITICAL',
  condition: 'density',
  message: 'Density above 5 p/m²',
  metrics: { density: 5.234, count: 120 },
  snapshotPath: null,
  consoleUrl: 'https://cs.example.com/cameras/c1',
  triggeredAt: Date.UTC(2026, 0, 1),
};

describe('buildEmail', () => {
  it.each<{ name: string; patch: Partial<AlertPayload>; snapshot?: boolean; subject: string; html?: string[]; notHtml?: string[]; text?: string[] }>([
    {
      name: 'empty metrics, no location, no link',
      patch: { metrics: {}, cameraLocation: null, consoleUrl: '' },
      subject: '[CRITICAL] Crowd risk at Gate 3',
      notHtml: ['<table', '<a '],
    },
    {
      name: 'opened: level colour, metrics table, link',
      patch: {},
      subject: '[CRITICAL] Crowd risk at Gate 3 — North stand',
      html: ['#dc3545', '<th align="left" style="border-bottom:1px solid #dee2e6">Density (people/m²)</th><td style="border-bottom:1px solid #dee2e6">5.23</td>', 'href="https://cs.example.com/cameras/c1"', '>120<'],
      text: ['Density (people/m²): 5.23', 'People: 120', 'Open camera: https://cs.example.com/cameras/c1'],
    },
    { name: 'escalated warning', patch: { event: 'escalated', level: 'WARNING' }, subject: '[WARNING] Crowd risk escalated at Gate 3 — North stand', html: ['#fd7e14'] },
    { name: 'all clear', patch: { event: 'all_clear' }, subject: '[ALL CLEAR] Crowd risk cleared at Gate 3 — North stand', html: ['All clear', '#198754'] },
    { name: 'snapshot note', patch: {}, snapshot: true, subject: '[CRITICAL] Crowd risk at Gate 3 — North stand', html: ['is attached'], text: ['Snapshot attached.'] },
    {
      name: 'HTML in data is escaped, header injection flattened',
      patch: { cameraName: '<script>x</script>\r\nBcc: evil@example.com', message: '"a" & <b>', metrics: { '<k>': '<v>' } },
      subject: '[CRITICAL] Crowd risk at <script>x</script> Bcc: evil@example.com — North stand',
      html: ['&lt;script&gt;x&lt;/script&gt;', '&quot;a&quot; &amp; &lt;b&gt;', '&lt;k&gt;', '&lt;v&gt;'],
      notHtml: ['<script>', '<b>'],
    },
    { name: 'javascript: link is dropped', patch: { consoleUrl: 'javascript:alert(1)' }, subject: '[CRITICAL] Crowd risk at Gate 3 — North stand', notHtml: ['javascript:', '<a '] },
  ])('$name', ({ patch, snapshot, subject, html, notHtml, text }) => {
    const m = buildEmail({ ...base, ...patch }, { snapshotAttached: snapshot ?? false });
    expect(m.subject).toBe(subject);
    expect(m.subject).not.toMatch(/[\r\n]/);
    for (const h of html ?? []) expect(m.html).toContain(h);
    for (const h of notHtml ?? []) expect(m.html).not.toContain(h);
    for (const t of text ?? []) expect(m.text).toContain(t);
  });
});

describe('buildPushPayload', () => {
  it.each<{ name: string; patch: Partial<AlertPayload>; title: string; actions: string[] }>([
    { name: 'empty metrics', patch: { metrics: {} }, title: 'CRITICAL: crowd risk opened — Gate 3 — North stand', actions: ['view', 'acknowledge'] },
    { name: 'all clear has no acknowledge', patch: { event: 'all_clear' }, title: 'All clear — Gate 3 — North stand', actions: ['view'] },
  ])('$name', ({ patch, title, actions }) => {
    const p = buildPushPayload({ ...base, ...patch });
    expect(p.title).toBe(title);
    expect(p.actions.map((a) => a.action)).toEqual(actions);
    expect(p).toMatchObject({ alertId: 'a1', url: 'https://cs.example.com/cameras/c1', tag: 'alert-a1' });
  });

  it('stays under the push size limit with a huge message', () => {
    const p = buildPushPayload({ ...base, message: 'x'.repeat(100_000) });
    expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThanOrEqual(3000);
  });
});
