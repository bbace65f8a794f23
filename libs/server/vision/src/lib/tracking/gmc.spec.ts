import { IDENTITY_AFFINE, NoMotionCompensation, assertAffine, isIdentityAffine, warpKalmanState } from './gmc';
import { KalmanFilterXYWH } from './kalman-filter';

describe('global motion compensation', () => {
  it('NoMotionCompensation always returns the identity', () => {
    const gmc = new NoMotionCompensation();
    expect(gmc.estimate()).toEqual([1, 0, 0, 0, 1, 0]);
    gmc.reset();
    expect(isIdentityAffine(gmc.estimate())).toBe(true);
  });

  it.each([
    { name: 'empty', a: [] as number[] },
    { name: 'too short', a: [1, 0, 0, 0, 1] },
    { name: 'too long', a: [1, 0, 0, 0, 1, 0, 0] },
    { name: 'NaN', a: [1, 0, NaN, 0, 1, 0] },
    { name: 'Infinity', a: [1, 0, 0, 0, Infinity, 0] },
  ])('assertAffine rejects $name', ({ a }) => {
    expect(() => assertAffine(a)).toThrow(RangeError);
  });

  it('identity warp is a no-op', () => {
    const kf = new KalmanFilterXYWH();
    const s = kf.initiate([100, 200, 40, 80]);
    const mean = Float64Array.from(s.mean);
    const cov = Float64Array.from(s.covariance);
    warpKalmanState(s, IDENTITY_AFFINE);
    expect(s.mean).toEqual(mean);
    expect(s.covariance).toEqual(cov);
  });

  it('matches Ultralytics STrack.multi_gmc (R8 = kron(I4, R), mean[:2] += t) on a numpy reference', () => {
    const kf = new KalmanFilterXYWH();
    const s = kf.initiate([100, 200, 40, 80]);
    kf.predict(s);
    kf.update(s, [103, 201, 41, 79]);
    kf.predict(s);
    kf.predict(s);
    kf.update(s, [109, 203, 40, 81]);
    warpKalmanState(s, [0.99, -0.05, 3, 0.04, 1.01, -2]);
    const expected = [
      100.21908809135853, 207.19360715209632, 35.69794549486401, 83.18437933288395, 1.9893492890593447,
      0.7820435655161022, -0.1677506396503713, 0.437730586482677,
    ];
    for (let k = 0; k < 8; k++) expect(s.mean[k]).toBeCloseTo(expected[k], 9);
    const P = s.covariance;
    expect(P[0]).toBeCloseTo(3.760924365416436, 9);
    expect(P[1]).toBeCloseTo(-0.5532926559336817, 9);
    expect(P[9]).toBeCloseTo(14.223678499374644, 9);
    expect(P[4]).toBeCloseTo(1.1644515243805105, 9);
    expect(P[5]).toBeCloseTo(-0.1749038715342487, 9);
    expect(P[4 * 8 + 5]).toBeCloseTo(-0.32936837335338576, 9);
    expect(P[7 * 8 + 7]).toBeCloseTo(8.361919071716638, 9);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) expect(P[i * 8 + j]).toBeCloseTo(P[j * 8 + i], 12);
  });
});
