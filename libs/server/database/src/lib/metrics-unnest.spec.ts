import { dedupeMetricRows, METRIC_UNNEST_COLUMNS, metricUnnestArrays } from './metrics-unnest';
import type { MetricRecord } from './records';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const at = (s: number) => new Date(Date.UTC(2025, 0, 1) + s * 1000);

describe('dedupeMetricRows', () => {
  it.each<[string, MetricRecord[], Array<[string, number, number]>]>([
    ['no rows', [], []],
    ['distinct rows are kept', [{ cameraId: A, time: at(0), count: 1 }, { cameraId: A, time: at(1), count: 2 }], [[A, 0, 1], [A, 1, 2]]],
    ['the last row of a camera and second wins', [{ cameraId: A, time: at(0), count: 1 }, { cameraId: A, time: at(0), count: 9 }], [[A, 0, 9]]],
    [
      'grouped by camera, first-seen order',
      [{ cameraId: A, time: at(0), count: 1 }, { cameraId: B, time: at(0), count: 2 }, { cameraId: A, time: at(1), count: 3 }],
      [[A, 0, 1], [A, 1, 3], [B, 0, 2]],
    ],
    ['the same second of two cameras is two rows', [{ cameraId: A, time: at(5), count: 1 }, { cameraId: B, time: at(5), count: 1 }], [[A, 5, 1], [B, 5, 1]]],
  ])('%s', (_name, rows, expected) => {
    expect(dedupeMetricRows(rows).map((r) => [r.cameraId, (r.time.getTime() - at(0).getTime()) / 1000, r.count])).toEqual(expected);
  });
});

describe('metricUnnestArrays', () => {
  it.each<[string, MetricRecord[], string[]]>([
    ['no rows: 13 empty arrays', [], Array(13).fill('{}')],
    [
      'optional columns absent: NULL, metadata {}',
      [{ cameraId: A, time: at(0), count: 3 }],
      [`{${A}}`, `{${at(0).getTime()}}`, '{3}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{"{}"}'],
    ],
    [
      'every column, two rows',
      [
        { cameraId: A, time: at(0), count: 3, countMax: 4, density: 1.5, velocity: 0.25, surge: 0, flowIn: 2, flowOut: 1, riskScore: 20, riskLevel: 'SAFE', heading: 90, metadata: { frames: 5 } },
        { cameraId: B, time: at(1), count: 0, riskLevel: 'CRITICAL', density: Number.NaN },
      ],
      [`{${A},${B}}`, `{${at(0).getTime()},${at(1).getTime()}}`, '{3,0}', '{4,NULL}', '{1.5,NaN}', '{0.25,NULL}', '{0,NULL}', '{2,NULL}', '{1,NULL}', '{20,NULL}', '{SAFE,CRITICAL}', '{90,NULL}', '{"{\\"frames\\":5}","{}"}'],
    ],
    [
      'metadata backslashes and quotes are escaped',
      [{ cameraId: A, time: at(0), count: 1, metadata: { note: 'a\\b"c,{d}' } }],
      [`{${A}}`, `{${at(0).getTime()}}`, '{1}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', String.raw`{"{\"note\":\"a\\\\b\\\"c,{d}\"}"}`],
    ],
  ])('%s', (_name, rows, expected) => {
    const arrays = metricUnnestArrays(rows);
    expect(arrays).toHaveLength(METRIC_UNNEST_COLUMNS.length);
    expect(arrays).toEqual(expected);
  });
});
