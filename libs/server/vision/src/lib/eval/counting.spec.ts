import { countImageKey, evaluateCounts, parseCountGroundTruth, parseCountPredictions, type CountGtImage } from './counting';
import { EvalInputError } from './errors';

const gt: CountGtImage[] = [0, 10, 60, 150, 300].map((count, i) => ({ image: `images/IMG_${i + 1}.jpg`, count }));

describe('evaluateCounts', () => {
  it('computes MAE, RMSE, MRE (gt = 0 left out of MRE), bias and the density bands', () => {
    // errors: +2, -2, +6, 0, -30
    const pred = [2, 8, 66, 150, 270].map((count, i) => ({ image: `/abs/IMG_${i + 1}.jpg`, count }));
    const m = evaluateCounts(gt, pred);
    expect(m).toMatchObject({ n: 5, mae: 8, bias: -4.8, meanGt: 104, meanPred: 99.2, mreImages: 4, missing: [], unmatched: [] });
    expect(m.rmse).toBeCloseTo(Math.sqrt(944 / 5), 12);
    expect(m.mre).toBeCloseTo((0.2 + 0.1 + 0 + 0.1) / 4, 15);
    expect(m.rangeCoverage).toBeNull();
    expect(m.bands.map((b) => [b.label, b.n, b.mae, b.mre])).toEqual([
      ['<50', 2, 2, 0.2],
      ['50-100', 1, 6, 0.1],
      ['100-200', 1, 0, 0],
      ['>=200', 1, 30, 0.1],
    ]);
    expect(m.perImage[4]).toEqual({ image: 'IMG_5.jpg', gt: 300, pred: 270, error: -30 });
  });

  it('perfect predictions: every error 0; empty bands have null metrics, never NaN', () => {
    const m = evaluateCounts(gt, gt, { bandEdges: [100, 1000] });
    expect(m).toMatchObject({ mae: 0, rmse: 0, mre: 0, bias: 0 });
    expect(m.bands.map((b) => [b.label, b.n, b.mae])).toEqual([
      ['<100', 3, 0],
      ['100-1000', 2, 0],
      ['>=1000', 0, null],
    ]);
  });

  it('MRE is null when every gt count is 0', () => {
    const m = evaluateCounts([{ image: 'a.jpg', count: 0 }], [{ image: 'a.jpg', count: 3 }]);
    expect(m).toMatchObject({ n: 1, mae: 3, rmse: 3, mre: null, mreImages: 0 });
  });

  it('reports missing and unmatched images, and the coverage of [low, high]', () => {
    const pred = [
      { image: 'IMG_2.jpg', count: 12, low: 9, high: 14 }, // covers 10
      { image: 'IMG_3.jpg', count: 40, low: 30, high: 50 }, // misses 60
      { image: 'IMG_9.jpg', count: 1 },
    ];
    const m = evaluateCounts(gt, pred);
    expect(m).toMatchObject({ n: 2, mae: 11, rangeCoverage: 0.5, rangeImages: 2 });
    expect(m.missing).toEqual(['images/IMG_1.jpg', 'images/IMG_4.jpg', 'images/IMG_5.jpg']);
    expect(m.unmatched).toEqual(['IMG_9.jpg']);
  });

  it('fails when nothing matches, and on bad band edges', () => {
    expect(() => evaluateCounts(gt, [{ image: 'x.jpg', count: 1 }])).toThrow(EvalInputError);
    expect(() => evaluateCounts(gt, gt, { bandEdges: [100, 50] })).toThrow(RangeError);
  });

  it('matches on the file name', () => {
    expect(countImageKey('a/b/IMG_1.jpg')).toBe('IMG_1.jpg');
    expect(countImageKey('C:\\x\\IMG_1.jpg')).toBe('IMG_1.jpg');
    expect(countImageKey('IMG_1.jpg')).toBe('IMG_1.jpg');
  });
});

describe('parseCountGroundTruth', () => {
  it('reads annotations.json (points optional, extra fields ignored)', () => {
    const json = {
      dataset: 'x',
      images: [
        { image: 'images/IMG_1.jpg', gt_mat: 'g', width: 4, height: 3, count: 2, points: [[1, 2], [3.5, 4]] },
        { image: 'images/IMG_2.jpg', count: 0 },
      ],
    };
    expect(parseCountGroundTruth(json)).toEqual([
      { image: 'images/IMG_1.jpg', count: 2, points: [[1, 2], [3.5, 4]] },
      { image: 'images/IMG_2.jpg', count: 0 },
    ]);
  });

  it.each([
    [[], 'a.json: expected an object {images: [...]}'],
    [{ images: [{ count: 1 }] }, 'a.json: images[0]: image must be a non-empty string'],
    [{ images: [{ image: 'i.jpg', count: -1 }] }, 'a.json: images[0] (i.jpg): count must be a non-negative integer, got -1'],
    [{ images: [{ image: 'i.jpg', count: 2, points: [[1, 2]] }] }, 'a.json: images[0] (i.jpg): count 2 but 1 points'],
    [{ images: [{ image: 'i.jpg', count: 1, points: [[1]] }] }, 'a.json: images[0] (i.jpg): points[0] must be [x, y]'],
    [{ images: [{ image: 'a/i.jpg', count: 1 }, { image: 'b/i.jpg', count: 1 }] }, 'a.json: images[1]: duplicate image i.jpg'],
  ])('rejects %j', (json, message) => {
    expect(() => parseCountGroundTruth(json, 'a.json')).toThrow(message);
  });
});

describe('parseCountPredictions', () => {
  it('reads the `crowdsafe count --json` shape', () => {
    const json = { model: 'm', images: [{ image: 'IMG_1.jpg', count: 12.5, method: 'fused', low: 10, high: 15, extra: 1 }, { image: 'IMG_2.jpg', count: 3 }] };
    expect(parseCountPredictions(json)).toEqual([
      { image: 'IMG_1.jpg', count: 12.5, method: 'fused', low: 10, high: 15 },
      { image: 'IMG_2.jpg', count: 3 },
    ]);
  });

  it.each([
    [{ images: {} }, 'p.json: expected an object {images: [...]}'],
    [{ images: [{ image: 'i.jpg', count: 'x' }] }, 'p.json: images[0] (i.jpg): count must be a finite number >= 0, got "x"'],
    [{ images: [{ image: 'i.jpg', count: 1, low: 'a' }] }, 'p.json: images[0] (i.jpg): low must be a finite number, got "a"'],
    [{ images: [{ image: 'i.jpg', count: 1, low: 5, high: 2 }] }, 'p.json: images[0] (i.jpg): low 5 > high 2'],
    [{ images: [{ image: 'i.jpg', count: 1, method: 3 }] }, 'p.json: images[0] (i.jpg): method must be a string'],
  ])('rejects %j', (json, message) => {
    expect(() => parseCountPredictions(json, 'p.json')).toThrow(message);
  });
});
