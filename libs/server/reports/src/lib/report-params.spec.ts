import { resolveReportParams } from './report-params';

const now = new Date(2026, 5, 10, 14, 30); // local time, 10 June 2026

describe('resolveReportParams', () => {
  it.each([
    [{ type: 'nope', format: 'pdf' }, /type must be one of daily, weekly, incident, custom/],
    [{ type: 'daily', format: 'docx' }, /format must be one of pdf, xlsx/],
    [{ type: 'custom', format: 'pdf' }, /from is required/],
    [{ type: 'custom', format: 'pdf', from: '2026-06-02T00:00:00Z', to: '2026-06-01T00:00:00Z' }, /must be before to/],
    [{ type: 'custom', format: 'pdf', from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, /must not exceed 366 days/],
    [{ type: 'custom', format: 'pdf', from: 'yesterday', to: '2026-01-01T00:00:00Z' }, /from must be an ISO 8601 date-time/],
    [{ type: 'incident', format: 'pdf' }, /alertId is required/],
    [{ type: 'daily', format: 'pdf', alertId: 'x' }, /alertId is only used by incident reports/],
    [{ type: 'daily', format: 'pdf', from: '2027-01-01T00:00:00Z' }, /is in the future/],
  ])('%j -> 400 %s', (req, problem) => {
    const r = resolveReportParams(req, now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('; ')).toMatch(problem);
  });

  it('daily defaults to yesterday (whole local day)', () => {
    const r = resolveReportParams({ type: 'daily', format: 'pdf' }, now);
    expect(r.ok && r.params.from).toEqual(new Date(2026, 5, 9));
    expect(r.ok && r.params.to).toEqual(new Date(2026, 5, 10));
  });

  it('weekly covers 7 whole days from `from`', () => {
    const r = resolveReportParams({ type: 'weekly', format: 'xlsx', from: new Date(2026, 5, 1, 13).toISOString(), cameraIds: ['a', 'a', 'b'] }, now);
    expect(r.ok && [r.params.from, r.params.to, r.params.cameraIds]).toEqual([new Date(2026, 5, 1), new Date(2026, 5, 8), ['a', 'b']]);
  });

  it('custom keeps the exact range; incident takes its range from the alert later', () => {
    const c = resolveReportParams({ type: 'custom', format: 'pdf', from: '2026-06-01T10:00:00Z', to: '2026-06-01T12:00:00Z' }, now);
    expect(c.ok && c.params.to.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    const i = resolveReportParams({ type: 'incident', format: 'pdf', alertId: '6c1b3e52-9f36-4c2e-8a51-0f6d1c1a2b3c' }, now);
    expect(i.ok && i.params.alertId).toBe('6c1b3e52-9f36-4c2e-8a51-0f6d1c1a2b3c');
  });
});
