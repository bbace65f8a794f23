import type { AlertPayload } from '../delivery.types';
import { buildSmsText, keyMetric, SMS_MAX, shortLink } from './sms-text';

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
  triggeredAt: 0,
};

describe('buildSmsText', () => {
  it.each<{ name: string; patch: Partial<AlertPayload>; text?: string; contains?: string[] }>([
    { name: 'empty names and metrics', patch: { cameraName: '', cameraLocation: null, metrics: {}, consoleUrl: '' }, text: '[CRITICAL] camera' },
    { name: 'opened', patch: {}, text: '[CRITICAL] Gate 3 (North stand): 5.23 p/m2 https://cs.example.com/cameras/c1' },
    { name: 'escalated, count only, no location', patch: { event: 'escalated', level: 'WARNING', cameraLocation: null, metrics: { count: 80 } }, text: '[WARNING] escalated Gate 3: 80 people https://cs.example.com/cameras/c1' },
    { name: 'all clear', patch: { event: 'all_clear' }, text: '[ALL CLEAR] Gate 3 (North stand): back to normal https://cs.example.com/cameras/c1' },
    {
      name: 'very long names are cut, level, metric and link survive',
      patch: { cameraName: 'N'.repeat(200), cameraLocation: 'L'.repeat(200) },
      contains: ['[CRITICAL] NNNN', '…', ': 5.23 p/m2 https://cs.example.com/cameras/c1'],
    },
    { name: 'a long URL falls back to its origin', patch: { consoleUrl: `https://cs.example.com/${'x'.repeat(100)}` }, contains: [' https://cs.example.com'] },
    { name: 'control characters in names are flattened', patch: { cameraName: 'Gate\n3\u0007' }, contains: ['[CRITICAL] Gate 3 (North stand)'] },
  ])('$name', ({ patch, text, contains }) => {
    const sms = buildSmsText({ ...base, ...patch });
    expect(sms.length).toBeLessThanOrEqual(SMS_MAX);
    if (text !== undefined) expect(sms).toBe(text);
    for (const c of contains ?? []) expect(sms).toContain(c);
  });
});

describe('keyMetric / shortLink', () => {
  it.each<{ metrics: Record<string, string | number | boolean | null>; out: string }>([
    { metrics: {}, out: '' },
    { metrics: { density: 2 }, out: '2 p/m2' },
    { metrics: { count: 12.5 }, out: '12.5 people' },
    { metrics: { score: 0.91, count: null }, out: 'score 0.91' },
    { metrics: { density: 'high' }, out: '' },
  ])('keyMetric($metrics) = "$out"', ({ metrics, out }) => {
    expect(keyMetric(metrics)).toBe(out);
  });

  it.each([
    { url: '', out: '' },
    { url: 'javascript:alert(1)', out: '' },
    { url: 'https://a.example/c/1', out: 'https://a.example/c/1' },
  ])('shortLink($url)', ({ url, out }) => {
    expect(shortLink(url)).toBe(out);
  });
});
