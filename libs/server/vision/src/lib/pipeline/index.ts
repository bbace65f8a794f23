// The counting pipeline stage (pure): detections -> BoT-SORT tracks -> people count with uncertainty.
export { SliceCarry, type ExaminedSlices } from './slice-carry';
export { DEFAULT_SLICE_CONFIRM_SCORE, PeopleCounter, type FramePixels, type PeopleCounterOptions, type PeopleCountResult } from './people-counter';
export {
  DetectionSettingsError,
  parseDetectionSettings,
  resolveDetectOptions,
  type CameraDetectionSettings,
  type DetectionDefaults,
  type GmcMode,
} from './detection-settings';
export { footInRoi, type FrameSize as PipelineFrameSize, type NormalizedPoint, type RoiPolygon } from './roi';
export { LOW_SCORE_FLOOR, SLICE_FIND_CONFIDENCE, acceptSliceFinds, splitByConfidence, asSecondStage, type SliceRect, type SplitDetections } from './low-score';
export { coastingTracks } from './coast-unexamined';
