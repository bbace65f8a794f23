// The runtime's I/O edges, as narrow interfaces. The pure stages use none of them; CameraRuntime (libs/server/cameras)
// orchestrates them, and the adapters (ffmpeg, inference client, metrics writer, socket gateway, alerts module, DB)
// implement them.
import type { AlertEvent } from '@crowdsafe/alerting';
import type { CameraHealth, CameraStatus, CameraStatusEvent, DetectOptions, FrameDetections, LiveFrameEvent, MetricsUpdateEvent, RawFrame } from '@crowdsafe/contracts';
import type { CrowdAnalyzer, GridGeometry } from '@crowdsafe/analytics';
import type { PersonSizeSample } from '@crowdsafe/vision';
import type { CameraMetricsRow } from './second-result';
import type { DensityResult } from './density-stage';

/** Source: starts decoding; calls back with frames and status changes. */
export interface FrameSourceHandle {
  start(): Promise<void> | void;
  stop(): Promise<void>;
  stats(): { framesDecoded: number; restarts: number; lastFrameAt: number | null; bytesRead?: number; decodeErrors?: number; skippedFrames?: number };
}
export type FrameSourcePort = (handlers: { onFrame(frame: RawFrame): void; onStatus(status: CameraStatus, reason?: string): void }) => FrameSourceHandle;

/** Frame store + inference: stores the frame and runs detection on it (batched across cameras by the caller). */
export type InferencePort = (frame: RawFrame, options: DetectOptions) => Promise<FrameDetections>;

/** The density model (FIDT head counting), head points in source-frame pixels. */
export type DensityPort = (frame: RawFrame, hints?: { personSizes: readonly PersonSizeSample[] }) => Promise<DensityResult>;

/** Where closed seconds' metrics rows go (batched by the implementation; never blocks or throws). */
export interface MetricsSink {
  write(row: CameraMetricsRow): void;
}

/** Live events to the console (metrics_update, camera_status, frames while watched). */
export interface LivePublisher {
  publishMetrics(event: MetricsUpdateEvent): void;
  publishCameraStatus(event: CameraStatusEvent): void;
  publishFrame(event: LiveFrameEvent): void;
  wantsFrames(cameraId: string): boolean;
}

/** Alert events with their lazily rendered snapshot (or the acting user); never throws. */
export interface AlertSinkPort {
  handle(event: AlertEvent, context?: { snapshot?: () => Promise<Buffer | null>; actorId?: string | null }): Promise<void>;
}

/** Camera status persistence (write on meaningful change only). */
export type StatusStore = (status: CameraStatus, reason: string | null) => void;

/** One counting-line crossing as stored (the spec's person_logs row). */
export interface CrossingSinkPort {
  record(events: ReadonlyArray<{ cameraId: string; at: number; lineId: string; lineName: string; direction: 'in' | 'out'; trackId: number }>): void;
}

/**
 * The narrow read side of the cameras running in this process: what the system, heatmap, recordings and camera APIs
 * ask about a live camera, without reaching into its runtime. undefined = not running here. An abstract class so
 * that it is also the DI token (implemented by CameraSupervisor).
 */
export abstract class CameraLiveState {
  /** The latest decoded frame (null before the first one); undefined when the camera is not running here. */
  abstract latestFrame(cameraId: string): RawFrame | null | undefined;
  abstract health(cameraId: string): CameraHealth | undefined;
  /** The live crowd analyzer (occupancy heatmap); null when analytics is not on (see analyticsStatus). */
  abstract crowdAnalyzer(cameraId: string): CrowdAnalyzer | null | undefined;
  abstract analyticsStatus(cameraId: string): { state: 'on' | 'uncalibrated' | 'off'; reason?: string } | undefined;
}


/** A running camera's live state as any process of the deployment sees it (health, current count). */
export interface CameraLiveSummary {
  health: CameraHealth;
  /** The latest processed frame's count (null before the first one). */
  count: number | null;
}

/** A camera's spatial heatmap grid (the JSON form): people/m² (ground) or per cell (image); person-seconds for total. */
export interface LiveHeatmapGrid extends GridGeometry {
  layer: 'live' | 'total';
  halfLifeMs: number;
  max: number;
  values: number[];
}

/** What a process answers about a camera's heatmap: not running there, running without analytics, or the grid / PNG. */
export type LiveHeatmapAnswer =
  | { kind: 'not-running' }
  | { kind: 'unavailable' }
  | { kind: 'no-analytics'; state: string; reason?: string }
  | { kind: 'json'; grid: LiveHeatmapGrid }
  | { kind: 'png'; pngBase64: string };

/**
 * The live state of the cameras wherever they run: this process's runtimes first, else the process that owns the
 * camera (distributed mode: asked over the cluster bus), so that an api replica without cameras answers camera
 * health and the live heatmap. An abstract class so that it is also the DI token (implemented in the cameras lib).
 */
export abstract class CameraLiveQueries {
  /** The camera's live summary; null when no process runs it (or the one that does did not answer). */
  abstract summary(cameraId: string): Promise<CameraLiveSummary | null>;
  /** Every running camera's live summary, across processes (cameras no process answered for are absent). */
  abstract summaries(): Promise<Map<string, CameraLiveSummary>>;
  abstract heatmap(cameraId: string, layer: 'live' | 'total', format: 'json' | 'png'): Promise<LiveHeatmapAnswer>;
}
