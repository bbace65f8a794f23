export { FrameBuffer } from './frame-buffer';
export { Backoff, type BackoffOptions } from './backoff';
export {
  ALLOWED_URL_PROTOCOLS,
  assertValidSource,
  describeSource,
  redactSecrets,
  sourceTypeOf,
  urlUserinfo,
  type DeviceSourceInput,
  type FileSourceInput,
  type SourceInput,
  type UrlSourceInput,
} from './source-input';
export {
  cameraSourceInput,
  MAX_FRAME_SKIP,
  MAX_SOURCE_URL_LENGTH,
  parseSourceOptions,
  resolveMediaFile,
  SCHEMES_BY_TYPE,
  SourceInputError,
  urlOrigin,
  type CameraSourceOptions,
} from './camera-source';
export { BLOCKED_RANGES, METADATA_ADDRESSES, NetworkGuard, SourceRefusedError, type OwnAddresses, type Resolver } from './network-guard';
export { EgressProxy, prepareEgress, type EgressOrigin, type PreparedSource } from './source-egress';
export { computeOutputSize, type FrameSize } from './ffmpeg-args';
export { probeSource, ProbeError, type ProbeErrorCode, type ProbeOptions, type ProbeResult } from './probe';
export { grabJpeg, type GrabOptions } from './snapshot';
export { warmUpFfmpeg } from './ffmpeg-warm-up';
export {
  FfmpegFrameSource,
  type FfmpegFrameSourceOptions,
  type FrameSourceStats,
  type IngestLogger,
  type SourceStatus,
} from './ffmpeg-frame-source';
