// Public API of the BoT-SORT tracker (re-exported by libs/server/vision/src/index.ts).
export { BotSortTracker, kalmanWeightsFor } from './bot-sort';
export {
  DEFAULT_BOT_SORT_OPTIONS,
  type BotSortOptions,
  type BotSortStats,
  type Track,
  type TrackerOutput,
  type TrackState,
} from './types';
export {
  IDENTITY_AFFINE,
  NoMotionCompensation,
  assertAffine,
  isIdentityAffine,
  type Affine2x3,
  type GlobalMotionCompensation,
} from './gmc';
export { KalmanFilterXYWH, type KalmanState } from './kalman-filter';
export {
  costMatrixFromRows,
  lapjv,
  linearAssignment,
  linearAssignmentSparse,
  type AssignmentResult,
  type CostMatrix,
  type SparseCostMatrix,
  type SquareAssignment,
} from './lap';
