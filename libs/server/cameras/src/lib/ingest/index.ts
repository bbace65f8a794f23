export { FrameBuffer } from './frame-buffer';
export { Backoff, type BackoffOptions } from './backoff';
export {
  ALLOWED_URL_PROTOCOLS,
  assertValidSource,
  describeSource,
  redactSecrets,
  sourceTypeOf,
  type FileSourceInput,
  type SourceInput,
  type UrlSourceInput,
} from './source-input';
export { computeOutputSize, type FrameSize } from './ffmpeg-args';
export { probeSource, ProbeError, type ProbeErrorCode, type ProbeOptions, type ProbeResult } from './probe';
export {
  FfmpegFrameSource,
  type FfmpegFrameSourceOptions,
  type FrameSourceStats,
  type IngestLogger,
  type SourceStatus,
} from './ffmpeg-frame-source';
