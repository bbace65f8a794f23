import { parsePrometheusText } from './prom-text';

describe('parsePrometheusText', () => {
  it.each([
    ['empty', '', 0],
    ['comments only', '# HELP a b\n# TYPE a gauge\n', 1],
  ])('%s', (_n, text, families) => {
    expect(parsePrometheusText(text).size).toBe(families);
  });

  it('groups histogram samples under their family and unescapes labels', () => {
    const f = parsePrometheusText(
      [
        '# HELP h latency',
        '# TYPE h histogram',
        'h_bucket{camera_id="a",le="0.1"} 3',
        'h_bucket{camera_id="a",le="+Inf"} 5',
        'h_sum{camera_id="a"} 0.7',
        'h_count{camera_id="a"} 5',
        '# TYPE c counter',
        'c_total{q="x\\"y"} 2',
      ].join('\n'),
    );
    expect(f.get('h')?.type).toBe('histogram');
    expect(f.get('h')?.samples).toHaveLength(4);
    expect(f.get('h')?.samples[1]).toEqual({ name: 'h_bucket', labels: { camera_id: 'a', le: '+Inf' }, value: 5 });
    expect(f.get('c')?.samples[0]).toEqual({ name: 'c_total', labels: { q: 'x"y' }, value: 2 });
  });

  it.each([['garbage line'], ['m{a="1" 2'], ['m{a=1} 2'], ['m abc']])('rejects %s', (line) => {
    expect(() => parsePrometheusText(line)).toThrow(/line 1/);
  });
});
