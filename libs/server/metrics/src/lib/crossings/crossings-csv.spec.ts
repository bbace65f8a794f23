import { crossingCsvLine, csvField } from './crossings.controller';

describe('crossings CSV', () => {
  it.each<[string | number, string]>([
    ['', ''],
    ['Gate', 'Gate'],
    [7, '7'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['@x', "'@x"],
    [-3, '-3'],
  ])('%j -> %s', (v, out) => expect(csvField(v)).toBe(out));

  it('one row per crossing, in the header order', () => {
    const line = crossingCsvLine({ id: '1', cameraId: 'c', time: new Date('2026-01-02T10:00:00Z'), lineId: 'gate', lineName: 'Main, east', direction: 'out', trackId: 12 });
    expect(line).toBe('2026-01-02T10:00:00.000Z,c,gate,"Main, east",out,12');
  });
});
