import { KalmanFilterXYWH, type KalmanState } from './kalman-filter';

/** Block-structured 8x8 covariance: per measured dim k, var(k), cov(k, k+4), var(k+4). */
function blockCov(pos: number[], cross: number[], vel: number[]): number[] {
  const P = new Array<number>(64).fill(0);
  for (let k = 0; k < 4; k++) {
    P[k * 8 + k] = pos[k];
    P[k * 8 + k + 4] = cross[k];
    P[(k + 4) * 8 + k] = cross[k];
    P[(k + 4) * 8 + k + 4] = vel[k];
  }
  return P;
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 9): void {
  expect(actual).toHaveLength(expected.length);
  for (let k = 0; k < expected.length; k++) expect(actual[k]).toBeCloseTo(expected[k], digits);
}

describe('KalmanFilterXYWH', () => {
  const kf = new KalmanFilterXYWH();

  it('initiates with zero velocity and std 2/20 (position) and 10/160 (velocity) of w, h', () => {
    const s = kf.initiate([100, 200, 40, 80]);
    expectClose(s.mean, [100, 200, 40, 80, 0, 0, 0, 0]);
    const sp = [4, 8, 4, 8];
    const sv = [2.5, 5, 2.5, 5];
    expectClose(s.covariance, blockCov(sp.map((x) => x * x), [0, 0, 0, 0], sv.map((x) => x * x)));
  });

  it('predicts with constant velocity and adds Q from w, h', () => {
    const s: KalmanState = kf.initiate([100, 200, 40, 80]);
    s.mean[4] = 3;
    s.mean[5] = -1;
    kf.predict(s);
    expectClose(s.mean, [103, 199, 40, 80, 3, -1, 0, 0]);
    // F P F^T: var(pos) = p + v (no cross initially); cross = v; then + Q (std 1/20, 1/160 of w or h).
    const p0 = [16, 64, 16, 64];
    const v0 = [6.25, 25, 6.25, 25];
    const qp = [4, 16, 4, 16];
    const qv = [0.0625, 0.25, 0.0625, 0.25];
    expectClose(
      s.covariance,
      blockCov(p0.map((p, k) => p + v0[k] + qp[k]), v0, v0.map((v, k) => v + qv[k])),
    );
  });

  it('matches the Ultralytics numpy reference over predict/update/predict/predict/update', () => {
    // Reference: ultralytics/trackers/utils/kalman_filter.py KalmanFilterXYWH, run with numpy + scipy.
    const s = kf.initiate([100, 200, 40, 80]);
    kf.predict(s);
    kf.update(s, [103, 201, 41, 79]);
    kf.multiPredict([s]);
    kf.predict(s);
    kf.update(s, [109, 203, 40, 81]);
    expectClose(s.mean, [
      108.44491399328969, 202.82753523996507, 40.13788194076939, 80.77115252995364, 2.0444604853036665,
      0.6933318278256986, -0.14726181926613552, 0.439228771537943,
    ]);
    expectClose(
      s.covariance,
      blockCov(
        [3.8017352648895546, 13.937452919273426, 3.8017352648895546, 13.937452919273426],
        [1.176906147055547, 4.386323860547492, 1.176906147055547, 4.386323860547492],
        [2.131796998176272, 8.193812563983487, 2.131796998176272, 8.193812563983487],
      ),
    );
  });

  it('project adds R = (w/20, h/20)^2 to the position block', () => {
    const s = kf.initiate([0, 0, 40, 80]);
    const { mean, covariance } = kf.project(s);
    expectClose(mean, [0, 0, 40, 80]);
    expectClose(covariance, [16 + 4, 0, 0, 0, 0, 64 + 16, 0, 0, 0, 0, 16 + 4, 0, 0, 0, 0, 64 + 16]);
  });

  it('an update with the predicted measurement leaves the mean unchanged and shrinks the covariance', () => {
    const s = kf.initiate([50, 60, 20, 40]);
    kf.predict(s);
    const before = Float64Array.from(s.covariance);
    kf.update(s, [50, 60, 20, 40]);
    expectClose(s.mean, [50, 60, 20, 40, 0, 0, 0, 0]);
    for (let k = 0; k < 8; k++) expect(s.covariance[k * 9]).toBeLessThan(before[k * 9]);
  });

  it.each([
    { name: 'zero position weight', w: { stdWeightPosition: 0 } },
    { name: 'negative velocity weight', w: { stdWeightVelocity: -1 } },
    { name: 'NaN weight', w: { stdWeightPosition: NaN } },
  ])('rejects $name', ({ w }) => {
    expect(() => new KalmanFilterXYWH(w)).toThrow(RangeError);
  });
});
