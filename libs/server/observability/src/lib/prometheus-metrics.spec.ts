import { parsePrometheusText } from './prom-text';
import { mergePrometheusTexts, PrometheusMetrics, setCounter } from './prometheus-metrics';

const bullmq = (q: string) =>
  [
    '# HELP bullmq_job_count Number of jobs in the queue by state',
    '# TYPE bullmq_job_count gauge',
    `bullmq_job_count{queue="${q}", state="waiting"} 2`,
    `bullmq_job_count{queue="${q}", state="active"} 1`,
    '# HELP bullmq_job_completed_total Total number of completed jobs',
    '# TYPE bullmq_job_completed_total counter',
    `bullmq_job_completed_total{queue="${q}"} 7`,
  ].join('\n');

describe('mergePrometheusTexts', () => {
  it.each([
    ['nothing', [], ''],
    ['one empty text', [''], ''],
  ])('%s', (_n, texts, out) => expect(mergePrometheusTexts(texts)).toBe(out));

  it('keeps one HELP/TYPE per family and its samples together', () => {
    const text = mergePrometheusTexts([bullmq('inference'), bullmq('inference-gpu')]);
    expect(text.match(/# TYPE bullmq_job_count gauge/g)).toHaveLength(1);
    const f = parsePrometheusText(text);
    expect(f.get('bullmq_job_count')?.samples.map((s) => s.labels['queue'])).toEqual(['inference', 'inference', 'inference-gpu', 'inference-gpu']);
    expect(f.get('bullmq_job_completed_total')?.samples).toHaveLength(2);
    const lines = text.split('\n');
    expect(lines.indexOf('# TYPE bullmq_job_completed_total counter')).toBeGreaterThan(lines.lastIndexOf('bullmq_job_count{queue="inference-gpu", state="active"} 1'));
  });
});

describe('PrometheusMetrics', () => {
  it('exposes parseable per-camera series labelled by camera id only, plus process metrics', async () => {
    const m = new PrometheusMetrics();
    setCounter(m.framesDecoded, { camera_id: 'cam-1' }, 42);
    m.people.set({ camera_id: 'cam-1' }, 12);
    m.inferenceLatency.observe({ camera_id: 'cam-1' }, 0.08);
    m.httpDuration.observe({ method: 'GET', route: '/api/cameras/:id', status: '200' }, 0.01);
    const f = parsePrometheusText(await m.registry.metrics());
    expect(f.get('crowdsafe_camera_frames_decoded_total')?.samples).toEqual([{ name: 'crowdsafe_camera_frames_decoded_total', labels: { camera_id: 'cam-1' }, value: 42 }]);
    expect(f.get('crowdsafe_camera_people')?.samples[0]?.value).toBe(12);
    const buckets = f.get('crowdsafe_inference_latency_seconds')?.samples.filter((s) => s.name.endsWith('_bucket')) ?? [];
    expect(buckets.find((b) => b.labels['le'] === '0.1')?.value).toBe(1);
    expect(buckets.find((b) => b.labels['le'] === '0.05')?.value).toBe(0);
    expect(f.has('nodejs_eventloop_lag_seconds')).toBe(true);
    for (const fam of f.values()) {
      if (!fam.name.startsWith('crowdsafe_camera') && !fam.name.startsWith('crowdsafe_inference_latency')) continue;
      for (const s of fam.samples) expect(Object.keys(s.labels).filter((k) => k !== 'le')).toEqual(['camera_id']);
    }
  });

  it('two registries do not collide (one per app)', () => {
    expect(() => [new PrometheusMetrics(), new PrometheusMetrics()]).not.toThrow();
  });
});
