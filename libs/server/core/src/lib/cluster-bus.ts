import type { CameraHealth } from '@crowdsafe/contracts';
import type { AlertCommandResult } from './alert-events';

/** A running camera's live state as sent between processes. */
export interface ClusterCameraLive {
  cameraId: string;
  health: CameraHealth;
  count: number | null;
}

/** A failed request routed to the process that runs the camera (the HTTP status and message to answer with). */
export interface ClusterRefusal {
  ok: false;
  status: number;
  error: string;
}

/**
 * Requests between the processes of one deployment (distributed mode: api replicas and camera owners on one Redis).
 * A request goes to every OTHER process; each answers with a value or null ("not mine"). Used where one process
 * owns state that another is asked about: the alert engine of a camera (acknowledge/resolve), a camera's runtime
 * (apply a changed record, current frame). Embedded mode has one process: every request answers nothing.
 *
 * Topics are typed here, one entry each: request payload and answer.
 */
export interface ClusterTopics {
  /** Acknowledge/resolve an alert on the engine of the process that runs its camera. */
  'alert-command': {
    request: { kind: 'acknowledge' | 'resolve'; alertId: string; cameraId: string; actorName: string; actorId: string | null; notes?: string };
    /** null (no answer) from a process whose engine does not know the alert. */
    answer: AlertCommandResult;
  };
  /** A camera record changed (or was deleted) through another process: its owner re-applies it. */
  'camera-changed': { request: { cameraId: string; restart: boolean; deleted?: boolean }; answer: { applied: true } };
  /** The current frame of a camera as a JPEG (base64), annotated or not, from the process that runs it. */
  'camera-snapshot': { request: { cameraId: string; annotated: boolean }; answer: { jpegBase64: string } };
  /** The live state of one camera (cameraId) or of every camera (no cameraId) running in the answering process. */
  'camera-live': { request: { cameraId?: string }; answer: { cameras: ClusterCameraLive[] } };
  /**
   * A camera's spatial heatmap from the process that runs it: the grid (JSON) or a PNG (base64), or why there is
   * none (analytics off or uncalibrated). The grid's shape is LiveHeatmapGrid (libs/server/pipeline).
   */
  'camera-heatmap': {
    request: { cameraId: string; layer: 'live' | 'total'; format: 'json' | 'png' };
    answer: { kind: 'no-analytics'; state: string; reason?: string } | { kind: 'json'; grid: Record<string, unknown> } | { kind: 'png'; pngBase64: string };
  };
  /** Starts an on-demand recording in the process that runs the camera (its segments are there). */
  'recording-start': { request: { cameraId: string; durationS?: number; userId: string | null }; answer: { ok: true; recordingId: string } | ClusterRefusal };
  /** Stops a recording in progress in the process that started it. */
  'recording-stop': { request: { recordingId: string }; answer: { ok: true } | ClusterRefusal };
}
export type ClusterTopic = keyof ClusterTopics;
export type ClusterRequest<T extends ClusterTopic> = ClusterTopics[T]['request'];
export type ClusterAnswer<T extends ClusterTopic> = ClusterTopics[T]['answer'];
export type ClusterHandler<T extends ClusterTopic> = (request: ClusterRequest<T>) => Promise<ClusterAnswer<T> | null>;

/** The non-null answers, and whether every other process answered in time (false: some answer may be missing). */
export interface ClusterReply<T extends ClusterTopic> {
  answers: Array<ClusterAnswer<T>>;
  complete: boolean;
}

export abstract class ClusterBus {
  /** Asks every other process (alone: no answers, complete). Never throws. */
  abstract request<T extends ClusterTopic>(topic: T, request: ClusterRequest<T>): Promise<ClusterReply<T>>;
  /** Answers a topic in this process (one handler per topic; a later one replaces it). */
  abstract handle<T extends ClusterTopic>(topic: T, handler: ClusterHandler<T>): void;
}

/** One process (embedded mode, tests): nobody else to ask. */
export class LocalClusterBus extends ClusterBus {
  async request<T extends ClusterTopic>(): Promise<ClusterReply<T>> {
    return { answers: [], complete: true };
  }
  handle(): void {
    // no other process can ask
  }
}
