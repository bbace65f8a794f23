// Crowd analytics in real units (pure computation: no I/O). See lib/analyzer.ts for the per-camera analyzer.
export * from './lib/types';
export {
  calibrateHomography,
  calibrateFromMatrix,
  calibrateScale,
  calibrateManual,
  imageToGround,
  groundToImage,
  polygonToGroundPolygon,
  zoneArea,
  validateImagePolygon,
  validateZone,
  validateCountingLine,
  validateLayout,
  jacobianAnisotropy,
  MAX_ZONES,
  MAX_LINES,
  type HomographyCalibrationInput,
  type MatrixCalibrationInput,
  type ScaleCalibrationInput,
  type ManualCalibrationInput,
} from './lib/calibration';
export { fitHomography, applyHomography, type HomographyFit } from './lib/homography';
export * from './lib/aruco';
export { footPoint, polygonArea, findSelfIntersection, pointInPolygon } from './lib/geometry';
export {
  fruinWalkwayLos,
  fruinQueueLos,
  fruinFlowLos,
  stillBand,
  surgeLevel,
  FRUIN_WALKWAY_M2_PER_PERSON,
  FRUIN_QUEUE_M2_PER_PERSON,
  FRUIN_WALKWAY_FLOW_P_PER_M_MIN,
  MAX_FLOW_P_PER_M_MIN,
  STILL_THRESHOLDS,
  SURGE_WARNING_RATE,
  SURGE_CRITICAL_RATE,
  HELBING_CRITICAL_PRESSURE,
  HELBING_KERNEL_RADIUS_M,
  STAGNATION_SPEED_MPS,
  type StillThresholds,
} from './lib/standards';
export { directionStats } from './lib/direction';
export { compassOf, MovementDirectionAccumulator, type CompassPoint, type MovementDirection, type MovementDirectionOptions, type MovementSample } from './lib/movement-direction';
export { AutoCalibrationEstimator, type AutoCalibrationFit, type AutoCalibrationOptions } from './lib/auto-calibration';
export { PressureField, type PressureMode, type PressureOptions } from './lib/pressure';
export type { BusyHours, BusyHourBucket } from './lib/heatmap';
export { encodePng, heatColour, renderGridRgba, renderGridInImage, crc32, type HeatmapRenderOptions } from './lib/png';
export { flowArrowsInImage, type FlowArrow, type FlowArrowOptions } from './lib/drawing';
export {
  CrowdAnalyzer,
  AnalyticsConfigError,
  DEFAULT_ANALYZER_OPTIONS,
  makeGrid,
  type AnalyzerConfig,
  type AnalyzerOptions,
  type AnalyzerStateSize,
  type HeatmapSnapshot,
} from './lib/analyzer';
