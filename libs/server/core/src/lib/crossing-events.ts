/** One counting-line crossing as the camera pipeline reports it (the spec's person_logs row). */
export interface CrossingEvent {
  cameraId: string;
  /** Epoch ms of the frame in which it was counted. */
  at: number;
  lineId: string;
  lineName: string;
  direction: 'in' | 'out';
  trackId: number;
}

/**
 * Where camera runtimes hand their crossings (a frame's batch at a time). Implemented by the metrics module's
 * batched writer; must never block or throw into the pipeline.
 */
export abstract class CrossingEventSink {
  abstract record(events: readonly CrossingEvent[]): void;
}
