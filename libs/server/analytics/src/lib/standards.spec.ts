import { fruinFlowLos, fruinQueueLos, fruinWalkwayLos, stillBand, surgeLevel } from './standards';
import type { CrowdState, LevelOfService, StillBand, SurgeLevel } from './types';

const FT2 = 0.09290304;

describe('Fruin levels of service', () => {
  it.each<[number, LevelOfService]>([
    [0, 'A'],
    [1 / (35 * FT2), 'A'], // exactly 35 ft²/p
    [0.31, 'B'],
    [0.43, 'B'],
    [0.44, 'C'],
    [0.72, 'D'],
    [1.07, 'D'],
    [1.08, 'E'],
    [2.15, 'E'],
    [2.16, 'F'],
    [6, 'F'],
  ])('walkway: %f p/m² -> %s', (density, los) => {
    expect(fruinWalkwayLos(density)).toBe(los);
  });

  it.each<[number, LevelOfService]>([
    [0, 'A'],
    [0.82, 'A'], // 1.21 m²/p
    [0.83, 'B'],
    [1.07, 'B'],
    [1.08, 'C'],
    [1.53, 'C'],
    [1.54, 'D'],
    [3.58, 'D'],
    [3.59, 'E'],
    [5.38, 'E'],
    [5.39, 'F'],
  ])('queue: %f p/m² -> %s', (density, los) => {
    expect(fruinQueueLos(density)).toBe(los);
  });

  it.each<[number, LevelOfService]>([
    [0, 'A'],
    [23, 'A'],
    [23.1, 'B'],
    [49, 'C'],
    [66, 'D'],
    [82, 'E'],
    [82.1, 'F'],
  ])('flow: %f p/m/min -> %s', (flow, los) => {
    expect(fruinFlowLos(flow)).toBe(los);
  });
});

describe('Still bands', () => {
  it.each<[number, CrowdState, StillBand]>([
    [0, 'moving', 'SAFE'],
    [2, 'moving', 'SAFE'],
    [2.5, 'moving', 'CAUTION'],
    [3.5, 'moving', 'WARNING'],
    [4, 'moving', 'WARNING'],
    [4.01, 'moving', 'CRITICAL'],
    [4.5, 'standing', 'WARNING'],
    [5, 'standing', 'WARNING'],
    [5.01, 'standing', 'CRITICAL'],
    [3.5, 'standing', 'CAUTION'],
  ])('%f p/m² %s -> %s', (d, state, band) => {
    expect(stillBand(d, state)).toBe(band);
  });
});

describe('surge bands', () => {
  it.each<[number, SurgeLevel]>([
    [0, 'none'],
    [-2, 'none'],
    [0.49, 'none'],
    [0.5, 'warning'],
    [0.79, 'warning'],
    [0.8, 'critical'],
  ])('%f p/m²/s -> %s', (rate, level) => {
    expect(surgeLevel(rate)).toBe(level);
  });
});
