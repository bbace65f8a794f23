import type { CameraDetail } from '@crowdsafe/web-data-access';
import { CalibrationState, MAX_POINTS, polygonAreaPx } from './calibration-state';

const camera = (over: Partial<CameraDetail> = {}): CameraDetail =>
  ({ id: 'c1', name: 'c', calibrationData: null, zones: [], settings: {}, ...over }) as unknown as CameraDetail;

describe('CalibrationState', () => {
  describe('load', () => {
    it('an uncalibrated camera: points mode, nothing drawn', () => {
      const s = new CalibrationState();
      s.load(camera(), { width: 640, height: 360 });
      expect([s.mode(), s.points(), s.zones(), s.lines(), s.roi()]).toEqual(['points', [], [], [], []]);
      expect(s.frame()).toEqual({ width: 640, height: 360 });
    });

    it('scales stored geometry from the calibration frame to the snapshot and drops malformed entries', () => {
      const s = new CalibrationState();
      s.load(
        camera({
          calibrationData: { frame: { width: 1280, height: 720 }, input: { points: [{ image: [100, 200], world: [1, 2] }, { image: [1, 'x'], world: [0, 0] }] } } as unknown as CameraDetail['calibrationData'],
          zones: [{ id: 'z', name: 'Z', polygon: [[0, 0], [1280, 0], [1280, 720], 'bad'] }] as unknown as CameraDetail['zones'],
          settings: { analytics: { lines: [{ id: 'l', name: 'L', a: [0, 360], b: [1280, 360], inDirection: 'left', widthM: 2 }, { id: 'bad' }] }, detection: { roi: [[0, 0], [0.5, 0], [0.5, 0.5]] } } as unknown as CameraDetail['settings'],
        }),
        { width: 640, height: 360 },
      );
      expect(s.points()).toEqual([{ image: [50, 100], world: [1, 2] }]);
      expect(s.zones()[0].polygon).toEqual([[0, 0], [640, 0], [640, 360]]);
      expect(s.lines()).toHaveLength(1);
      expect(s.lines()[0].a).toEqual([0, 180]);
      expect(s.roi()).toEqual([[0, 0], [320, 0], [320, 180]]);
      expect(s.normalisedRoi()).toEqual([[0, 0], [0.5, 0], [0.5, 0.5]]);
    });

    it.each([
      [{ scale: { a: [0, 0], b: [10, 0], distanceM: 5 } }, 'scale'],
      [{ manual: { floorAreaM2: 120 } }, 'manual'],
    ])('restores %p as mode %s', (input, mode) => {
      const s = new CalibrationState();
      s.load(camera({ calibrationData: input }), { width: 100, height: 100 });
      expect(s.mode()).toBe(mode);
      expect(s.hints()).toEqual([]);
    });
  });

  describe('hints and calibration()', () => {
    it.each([
      ['points', 0, ['Place at least 4 ground points (0 placed); 6 or more spread over the floor are better.']],
      ['scale', 0, ['Click both ends of a known distance on the floor.', 'Enter the real distance between the two points (metres, > 0).']],
      ['manual', 0, ['Enter the floor area in m² (> 0).']],
      ['none', 0, []],
    ] as const)('%s with %d points', (mode, _n, hints) => {
      const s = new CalibrationState();
      s.mode.set(mode);
      expect(s.hints()).toEqual(hints);
      if (mode === 'none') expect(s.calibration()).toBeNull();
      else expect(s.calibration()).toHaveProperty('frame');
    });

    it('points mode asks for each missing world coordinate and sends NaN for it', () => {
      const s = new CalibrationState();
      for (const p of [[1, 1], [2, 2], [3, 3], [4, 4]]) s.click(p as [number, number]);
      s.setWorld(0, 0, 1);
      expect(s.hints()).toHaveLength(4);
      expect(s.calibration()).toMatchObject({ points: [{ image: [1, 1], world: [1, NaN] }, {}, {}, {}] });
    });

    it('zone and ROI hints', () => {
      const s = new CalibrationState();
      s.mode.set('none');
      s.zones.set([{ id: 'z', name: ' ', polygon: [[0, 0], [1, 1]] }]);
      s.roi.set([[0, 0], [1, 1]]);
      expect(s.hints()).toEqual(['Every zone needs a name.', 'Zone " " needs at least 3 vertices.', 'The ROI needs at least 3 vertices (or none).']);
      expect(s.normalisedRoi()).toBeUndefined();
    });
  });

  describe('editing', () => {
    it('clamps clicks to the frame; scale mode takes 2 points, points mode at most MAX_POINTS', () => {
      const s = new CalibrationState();
      s.frame.set({ width: 100, height: 50 });
      s.click([-5, 80]);
      expect(s.points()[0].image).toEqual([0, 50]);
      s.mode.set('scale');
      s.click([1, 1]);
      s.click([2, 2]);
      expect(s.points()).toHaveLength(2);
      s.mode.set('points');
      for (let i = 0; i < MAX_POINTS + 5; i++) s.click([i, i]);
      expect(s.points()).toHaveLength(MAX_POINTS);
      s.mode.set('manual');
      s.points.set([]);
      s.click([1, 1]);
      expect(s.points()).toHaveLength(0);
    });

    it('draws a zone and the ROI from a draft polygon', () => {
      const s = new CalibrationState();
      s.tool.set('zone');
      s.click([0, 0]);
      s.click([10, 0]);
      expect(s.finishDraft()).toBe(false);
      s.click([10, 10]);
      expect(s.finishDraft()).toBe(true);
      expect(s.zones()).toEqual([{ id: 'zone-1', name: 'Zone 1', polygon: [[0, 0], [10, 0], [10, 10]] }]);
      s.tool.set('roi');
      for (const p of [[0, 0], [5, 0], [5, 5], [0, 5]]) s.click(p as [number, number]);
      s.finishDraft();
      expect(s.roi()).toHaveLength(4);
      expect(s.selection()).toEqual({ kind: 'roi' });
      s.deleteVertex({ kind: 'roi' }, 0);
      s.deleteVertex({ kind: 'roi' }, 0); // keeps at least 3
      expect(s.roi()).toHaveLength(3);
    });

    it('draws a line from two clicks, ignoring a zero-length one', () => {
      const s = new CalibrationState();
      s.tool.set('line');
      s.click([10, 10]);
      s.click([11, 10]);
      expect(s.lines()).toHaveLength(0);
      s.click([50, 10]);
      expect(s.lines()).toEqual([{ id: 'line-1', name: 'Line 1', a: [10, 10], b: [50, 10], inDirection: 'left', widthM: 2 }]);
      s.move({ kind: 'line', index: 0 }, 1, [60, 20]);
      expect(s.lines()[0].b).toEqual([60, 20]);
      s.deleteItem({ kind: 'line', index: 0 });
      expect(s.lines()).toEqual([]);
      expect(s.selection()).toBeNull();
    });

    it('moves and deletes points, zone vertices and drafts', () => {
      const s = new CalibrationState();
      s.click([1, 1]);
      s.move({ kind: 'point', index: 0 }, 0, [5, 6]);
      expect(s.points()[0].image).toEqual([5, 6]);
      s.deleteVertex({ kind: 'point', index: 0 }, 0);
      expect(s.points()).toEqual([]);
      s.zones.set([{ id: 'zone-1', name: 'A', polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] }]);
      s.move({ kind: 'zone', index: 0 }, 2, [2, 2]);
      s.deleteVertex({ kind: 'zone', index: 0 }, 0);
      expect(s.zones()[0].polygon).toEqual([[1, 0], [2, 2], [0, 1]]);
      s.tool.set('zone');
      s.click([3, 3]);
      s.move({ kind: 'draft' }, 0, [4, 4]);
      expect(s.draft()).toEqual([[4, 4]]);
      s.cancelDraft();
      expect(s.draft()).toEqual([]);
      s.finishDraft();
      s.zones.set([{ id: 'zone-1', name: 'A', polygon: [] }]);
      s.tool.set('zone');
      for (const p of [[0, 0], [5, 0], [5, 5]]) s.click(p as [number, number]);
      s.finishDraft();
      expect(s.zones().map((z) => z.id)).toEqual(['zone-1', 'zone-2']);
    });
  });

  it.each([
    [[], 0],
    [[[0, 0], [10, 0], [10, 10], [0, 10]], 100],
    [[[0, 0], [0, 10], [10, 10], [10, 0]], 100],
    [[[0, 0], [4, 0], [0, 3]], 6],
  ] as const)('polygonAreaPx(%p) = %d', (poly, area) => expect(polygonAreaPx(poly as unknown as [number, number][])).toBe(area));
});
