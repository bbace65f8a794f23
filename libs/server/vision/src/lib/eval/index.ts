// Evaluation metrics (pure): MOTChallenge tracking metrics and crowd-counting errors, with their input readers.
export { EvalInputError } from './errors';
export {
  detectMotGtFormat,
  parseMotText,
  parseSeqInfo,
  type MotGtFormat,
  type MotRow,
  type SeqInfo,
} from './mot-format';
export {
  MOT17_DISTRACTOR_CLASSES,
  MOT17_PEDESTRIAN_CLASS,
  evaluateMot,
  type MotEvalOptions,
  type MotMetrics,
} from './mot-metrics';
export {
  DEFAULT_DENSITY_BANDS,
  evaluateCounts,
  countImageKey,
  parseCountGroundTruth,
  parseCountPredictions,
  type CountBandStats,
  type CountErrorStats,
  type CountEvalOptions,
  type CountGtImage,
  type CountImageResult,
  type CountMetrics,
  type CountPrediction,
} from './counting';
export {
  readMat5,
  shanghaiTechGtFromMat,
  type MatCell,
  type MatChar,
  type MatNumeric,
  type MatStruct,
  type MatUnsupported,
  type MatValue,
  type ShanghaiTechMatGt,
} from './mat5';
