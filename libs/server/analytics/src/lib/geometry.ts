import type { BBox } from '@crowdsafe/contracts';
import type { Vec2 } from './types';

/** Bottom-centre of a box: where the person stands (image pixels). */
export function footPoint(box: BBox): Vec2 {
  return [(box.x1 + box.x2) / 2, box.y2];
}

/** Signed shoelace area (positive when the vertices run counter-clockwise in a y-up frame). */
export function signedArea(poly: readonly Vec2[]): number {
  let s = 0;
  for (let i = 0, n = poly.length; i < n; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % n];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

export function polygonArea(poly: readonly Vec2[]): number {
  return Math.abs(signedArea(poly));
}

/** z of (b - a) x (c - a). */
export function cross(a: Vec2, b: Vec2, c: Vec2): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function onSegment(a: Vec2, b: Vec2, p: Vec2): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])
  );
}

/** True when closed segments p1p2 and q1q2 share at least one point (touching and collinear overlap included). */
export function segmentsIntersect(p1: Vec2, p2: Vec2, q1: Vec2, q2: Vec2): boolean {
  const d1 = Math.sign(cross(q1, q2, p1));
  const d2 = Math.sign(cross(q1, q2, p2));
  const d3 = Math.sign(cross(p1, p2, q1));
  const d4 = Math.sign(cross(p1, p2, q2));
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  if (d1 === 0 && onSegment(q1, q2, p1)) return true;
  if (d2 === 0 && onSegment(q1, q2, p2)) return true;
  if (d3 === 0 && onSegment(p1, p2, q1)) return true;
  if (d4 === 0 && onSegment(p1, p2, q2)) return true;
  return false;
}

/**
 * First pair of edges (i, j) of a closed polygon that intersect although they are not neighbours (or that overlap
 * although they are), or null when the polygon is simple. Edge i runs from vertex i to vertex i + 1.
 */
export function findSelfIntersection(poly: readonly Vec2[]): [number, number] | null {
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const a1 = poly[i];
    const a2 = poly[(i + 1) % n];
    for (let j = i + 1; j < n; j++) {
      const b1 = poly[j];
      const b2 = poly[(j + 1) % n];
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) {
        // Neighbours share one vertex; they are bad only when they fold back onto each other.
        const shared = j === i + 1 ? a2 : a1;
        const other1 = j === i + 1 ? a1 : a2;
        const other2 = j === i + 1 ? b2 : b1;
        if (n > 3 && cross(shared, other1, other2) === 0) {
          const dot = (other1[0] - shared[0]) * (other2[0] - shared[0]) + (other1[1] - shared[1]) * (other2[1] - shared[1]);
          if (dot > 0) return [i, j];
        }
        continue;
      }
      if (segmentsIntersect(a1, a2, b1, b2)) return [i, j];
    }
  }
  return null;
}

/** Even-odd point-in-polygon test (points on the boundary may fall either way). */
export function pointInPolygon(x: number, y: number, poly: readonly Vec2[]): boolean {
  let inside = false;
  for (let i = 0, n = poly.length, j = n - 1; i < n; j = i++) {
    const xi = poly[i][0];
    const yi = poly[i][1];
    const xj = poly[j][0];
    const yj = poly[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Convex hull (Andrew's monotone chain), counter-clockwise in a y-up frame, without collinear points. */
export function convexHull(points: readonly Vec2[]): Vec2[] {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  if (pts.length < 3) return pts;
  const lower: Vec2[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Vec2[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  upper.pop();
  lower.pop();
  return lower.concat(upper);
}

/**
 * How far a point set is from being collinear: the largest distance of a point from the best-fit line divided
 * by the set's extent (0 = exactly collinear; also 0 for fewer than 3 distinct points).
 */
export function collinearity(points: readonly Vec2[]): number {
  const n = points.length;
  if (n < 3) return 0;
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) {
    mx += x;
    my += y;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) * (x - mx);
    syy += (y - my) * (y - my);
    sxy += (x - mx) * (y - my);
  }
  // Principal axis of the 2x2 covariance.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const ux = Math.cos(theta);
  const uy = Math.sin(theta);
  let maxOff = 0;
  let minAlong = Infinity;
  let maxAlong = -Infinity;
  for (const [x, y] of points) {
    const along = (x - mx) * ux + (y - my) * uy;
    const off = Math.abs(-(x - mx) * uy + (y - my) * ux);
    maxOff = Math.max(maxOff, off);
    minAlong = Math.min(minAlong, along);
    maxAlong = Math.max(maxAlong, along);
  }
  const extent = maxAlong - minAlong;
  return extent > 0 ? maxOff / extent : 0;
}
