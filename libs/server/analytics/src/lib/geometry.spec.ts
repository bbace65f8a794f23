import type { Vec2 } from './types';
import { collinearity, convexHull, findSelfIntersection, footPoint, pointInPolygon, polygonArea, segmentsIntersect } from './geometry';

describe('geometry', () => {
  it.each<[string, Vec2[], number]>([
    ['empty', [], 0],
    ['single point', [[1, 1]], 0],
    ['degenerate line', [[0, 0], [1, 1], [2, 2]], 0],
    ['unit square', [[0, 0], [1, 0], [1, 1], [0, 1]], 1],
    ['clockwise rectangle', [[0, 0], [0, 3], [2, 3], [2, 0]], 6],
    ['triangle', [[0, 0], [4, 0], [0, 3]], 6],
  ])('polygonArea: %s', (_n, poly, area) => {
    expect(polygonArea(poly)).toBeCloseTo(area, 12);
  });

  it.each<[string, Vec2[], [number, number] | null]>([
    ['triangle', [[0, 0], [4, 0], [0, 3]], null],
    ['convex square', [[0, 0], [1, 0], [1, 1], [0, 1]], null],
    ['concave L', [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]], null],
    ['bow-tie', [[0, 0], [1, 1], [1, 0], [0, 1]], [0, 2]],
    ['touching vertex', [[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1]], [1, 4]],
    ['fold back on neighbour', [[0, 0], [2, 0], [1, 0], [1, 1]], [0, 1]],
  ])('findSelfIntersection: %s', (_n, poly, expected) => {
    expect(findSelfIntersection(poly)).toEqual(expected);
  });

  it.each<[string, Vec2, Vec2, Vec2, Vec2, boolean]>([
    ['crossing', [0, 0], [2, 2], [0, 2], [2, 0], true],
    ['parallel', [0, 0], [2, 0], [0, 1], [2, 1], false],
    ['collinear overlap', [0, 0], [2, 0], [1, 0], [3, 0], true],
    ['collinear apart', [0, 0], [1, 0], [2, 0], [3, 0], false],
    ['T touch', [0, 0], [2, 0], [1, 0], [1, 1], true],
  ])('segmentsIntersect: %s', (_n, a, b, c, d, expected) => {
    expect(segmentsIntersect(a, b, c, d)).toBe(expected);
  });

  it('pointInPolygon and footPoint', () => {
    const sq: Vec2[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
    expect(pointInPolygon(5, 5, sq)).toBe(true);
    expect(pointInPolygon(15, 5, sq)).toBe(false);
    expect(pointInPolygon(5, 5, [])).toBe(false);
    expect(footPoint({ x1: 10, y1: 20, x2: 30, y2: 80 })).toEqual([20, 80]);
  });

  it('collinearity and convexHull', () => {
    expect(collinearity([])).toBe(0);
    expect(collinearity([[0, 0], [1, 1], [2, 2], [5, 5]])).toBeLessThan(1e-12);
    expect(collinearity([[0, 0], [10, 0], [5, 1]])).toBeCloseTo(0.1 * (2 / 3), 6);
    expect(convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2]])).toHaveLength(4);
  });
});
