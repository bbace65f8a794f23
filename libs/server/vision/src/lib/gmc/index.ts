// Public API of the sparse-optical-flow global motion compensation (re-exported by libs/server/vision/src/index.ts).
export {
  DEFAULT_SPARSE_OPT_FLOW_OPTIONS,
  SparseOptFlowGmc,
  type SparseOptFlowOptions,
  type SparseOptFlowStats,
  type SparseOptFlowStatus,
} from './sparse-opt-flow';
export { rgbToGray, type GrayFrame } from './gray-frame';
