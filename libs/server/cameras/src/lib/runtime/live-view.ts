// The live view of one camera (Frigate-style): the newest decoded frame is encoded as it arrives, before and
// independently of detection, while someone watches (socket `watch_frames` or an MJPEG viewer), at most `liveFps` a
// second and never while the previous encode runs (a frame arriving then is simply not sent: no backlog). One encode
// serves every viewer of both transports. The overlay (boxes, tracks, count) is the latest processed frame's, with
// its capture time, so a viewer sees how far detection lags; boxes older than maxAgeMs are left out.
import type { RawFrame, RiskLevel, TrackedPerson } from '@crowdsafe/contracts';
import { type CameraAnalyticsSetup, type LivePublisher, liveOverlayOf, type ProcessedOverlay } from '@crowdsafe/pipeline';
import type { AnnotationSettings } from './annotation';
import { type LiveFrameEncoder, type LiveFrameSink, type LiveOverlay, scaleBox, scalePx } from './live-frame-encoder';

export interface LiveViewPorts {
  live: LivePublisher;
  encoder: LiveFrameEncoder;
  frameSink?: LiveFrameSink;
}

export class LiveView {
  private encoding = false;
  /** Rate limiter: the next frame may be encoded at or after this time. */
  private nextAt = Number.NEGATIVE_INFINITY;
  /** Overlay of the latest processed frame (one per camera), drawn on the newer live frames. */
  private overlay: ProcessedOverlay | null = null;
  /** Zone outlines for the annotated live frame, built once from the (fixed) initial setup. */
  private readonly zones: Pick<LiveOverlay, 'zones'>;

  constructor(
    private readonly cameraId: string,
    private readonly ports: LiveViewPorts,
    private readonly opts: { fps: number; maxAgeMs: number; trackerFps: number },
    setup: CameraAnalyticsSetup,
    private readonly onError: (message: string) => void,
  ) {
    this.zones = zoneOutlinesOf(setup);
  }

  /** The latest processed frame's overlay (null: the stream broke, its boxes belong to the old one). */
  processed(overlay: ProcessedOverlay | null): void {
    this.overlay = overlay;
  }

  frame(frame: RawFrame, nowMs: number, fallbackCount: number, annotation: () => { level: RiskLevel | null; settings: AnnotationSettings; fps: number }): void {
    if (this.encoding) return;
    const { live, encoder, frameSink } = this.ports;
    const sockets = live.wantsFrames(this.cameraId);
    const mjpeg = frameSink?.wantsFrames(this.cameraId) ?? false;
    if (!sockets && !mjpeg) return;
    if (nowMs < this.nextAt) return;
    // Token bucket of one frame: the average rate stays <= fps while the source's jitter costs no frames.
    const period = 1000 / this.opts.fps;
    this.nextAt = Math.max(this.nextAt, nowMs - period) + period;
    const o = liveOverlayOf(this.overlay, frame, this.opts.maxAgeMs, fallbackCount, this.opts.trackerFps);
    this.encoding = true;
    const overlay = mjpeg ? { detections: o.detections, tracks: o.tracks, count: o.count, ...this.zones, annotation: annotation() } : undefined;
    encoder
      .encodeVariants(frame, o.detections, { clean: sockets, ...(overlay ? { overlay } : {}) })
      .then((enc) => {
        if (enc.jpeg)
          live.publishFrame({
            cameraId: this.cameraId,
            seq: frame.seq,
            capturedAt: frame.capturedAt,
            width: enc.width,
            height: enc.height,
            jpeg: enc.jpeg,
            detections: enc.detections,
            tracks: rescaleTracks(o.tracks, enc.width / frame.width),
            count: o.count,
            ...(o.capturedAt === undefined ? {} : { overlayCapturedAt: o.capturedAt, overlayAgeMs: frame.capturedAt - o.capturedAt }),
          });
        if (enc.annotatedJpeg) frameSink?.publish(this.cameraId, { seq: frame.seq, capturedAt: frame.capturedAt, jpeg: enc.annotatedJpeg });
      })
      .catch((err: unknown) => this.onError(`live frame encoding failed: ${String(err)}`))
      .finally(() => (this.encoding = false));
  }
}

/** Zone outlines for the annotated live frame (calibrated cameras only: zones are in the calibration frame). */
function zoneOutlinesOf(setup: CameraAnalyticsSetup): Pick<LiveOverlay, 'zones'> {
  if (setup.state !== 'on' || !setup.zones.length) return {};
  return { zones: { frame: setup.calibration.frame, polygons: setup.zones.map((z) => ({ name: z.name, polygon: z.polygon })) } };
}

/** Tracks rescaled to the encoded live frame, rounded like the encoder's detections. */
function rescaleTracks(tracks: readonly TrackedPerson[], scale: number): TrackedPerson[] {
  return tracks.map((t) => ({ ...t, box: scaleBox(t.box, scale), velocity: { vx: scalePx(t.velocity.vx, scale), vy: scalePx(t.velocity.vy, scale) } }));
}
