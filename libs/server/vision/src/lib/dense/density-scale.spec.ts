import { densityInputScale, PersonSizeSamples, type PersonSizeSample } from './density-scale';

const people = (n: number, height: number, y = 300): PersonSizeSample[] => Array.from({ length: n }, (_, i) => ({ y: y + i, height }));

describe('densityInputScale', () => {
  const hd = { frameWidth: 1280, frameHeight: 720 };
  it.each([
    { name: 'no samples: longest side to the cap, never upscaled', samples: [], o: { ...hd, maxSide: 1024 }, scale: 0.8, maxSide: 1024, reason: 'no-samples', capped: false },
    { name: 'no samples, small frame: native', samples: [], o: { frameWidth: 640, frameHeight: 360, maxSide: 1024 }, scale: 1, maxSide: 640, reason: 'no-samples', capped: false },
    { name: 'too few samples count as none', samples: people(4, 30), o: { ...hd, maxSide: 2048 }, scale: 1, maxSide: 1280, reason: 'no-samples', capped: false },
    // 30 px people: heads 3.9 px -> x3.08 for 12 px heads; the cap allows 2048 / 1280 = 1.6.
    { name: 'small far people: upscaled to the compute cap', samples: people(20, 30), o: { ...hd, maxSide: 2048 }, scale: 1.6, maxSide: 2048, reason: 'person-size', capped: true },
    // 60 px people (street at 640x360 elevated): heads 7.8 px -> x1.54, within the cap.
    { name: 'street-size people: upscaled as asked', samples: people(20, 60), o: { frameWidth: 640, frameHeight: 360, maxSide: 1024 }, scale: 12 / 7.8, maxSide: 985, reason: 'person-size', capped: false },
    // 300 px people: heads 39 px would allow x0.31, but sizes never downscale (the smallest people are the undetected ones).
    { name: 'large people only: native size', samples: people(20, 300), o: { frameWidth: 640, frameHeight: 360, maxSide: 1024 }, scale: 1, maxSide: 640, reason: 'person-size', capped: false },
    { name: 'large people, frame above the cap: the cap downscales', samples: people(20, 300), o: { ...hd, maxSide: 1024 }, scale: 0.8, maxSide: 1024, reason: 'person-size', capped: false },
    { name: 'an explicit minScale allows downscaling', samples: people(20, 2000), o: { ...hd, maxSide: 1024, minScale: 0.25 }, scale: 0.25, maxSide: 320, reason: 'person-size', capped: false },
  ])('$name', ({ samples, o, scale, maxSide, reason, capped }) => {
    const r = densityInputScale(samples, o);
    expect(r.scale).toBeCloseTo(scale, 6);
    expect(r.maxSide).toBe(maxSide);
    expect(r.reason).toBe(reason);
    expect(r.capped).toBe(capped);
    expect(r.maxSide).toBeLessThanOrEqual(o.maxSide);
  });

  it('uses the small people (10th percentile), not the mean: a few near people do not hide the far ones', () => {
    const mixed = [...people(18, 30), ...people(2, 400)];
    expect(densityInputScale(mixed, { ...hd, maxSide: 4096 }).scale).toBeCloseTo(12 / (30 * 0.13), 6);
  });

  it('ignores invalid samples and refuses a non-positive frame or cap', () => {
    const bad = [{ y: 1, height: 0 }, { y: NaN, height: 30 }, { y: 1, height: -5 }, { y: 1, height: Infinity }];
    expect(densityInputScale(bad, { ...hd, maxSide: 1024 }).reason).toBe('no-samples');
    expect(() => densityInputScale([], { frameWidth: 0, frameHeight: 0, maxSide: 1024 })).toThrow(RangeError);
    expect(() => densityInputScale([], { ...hd, maxSide: 0 })).toThrow(RangeError);
  });
});

describe('PersonSizeSamples', () => {
  it('starts empty, keeps (foot row, height), drops empty boxes and is bounded (newest kept)', () => {
    const s = new PersonSizeSamples(3);
    expect(s.list()).toEqual([]);
    s.add([{ box: { y1: 10, y2: 40 } }, { box: { y1: 5, y2: 5 } }]);
    expect(s.list()).toEqual([{ y: 40, height: 30 }]);
    s.add([1, 2, 3].map((i) => ({ box: { y1: 0, y2: 100 * i } })));
    expect(s.size).toBe(3);
    expect(s.list().map((x) => x.height).sort((a, b) => a - b)).toEqual([100, 200, 300]);
    s.clear();
    expect(s.size).toBe(0);
    expect(() => new PersonSizeSamples(0)).toThrow(RangeError);
  });
});
