import type { AlertLiveEvent, CameraStatusEvent, LiveFrameEvent, MetricsUpdateEvent, RecordingStatusEvent, RecordingStorageEvent, ReportProgressEvent, SystemNotificationEvent } from '@crowdsafe/contracts';

/**
 * Where the pipeline publishes live events. Implemented by the WebSocket gateway; the pipeline only
 * knows this interface (an injected edge, so the stages stay free of socket I/O).
 */
export abstract class LiveEventsPublisher {
  abstract publishMetrics(event: MetricsUpdateEvent): void;
  abstract publishCameraStatus(event: CameraStatusEvent): void;
  /** Only called when `wantsFrames(cameraId)` is true: frames are encoded only while someone watches. */
  abstract publishFrame(event: LiveFrameEvent): void;
  abstract wantsFrames(cameraId: string): boolean;
  /** An alert lifecycle change (`alert`), broadcast to every connected client. Default: dropped (test fakes). */
  publishAlert(_event: AlertLiveEvent): void {
    // implemented by the gateway
  }
  /** `system_notification` (disk, camera offline, model errors, backups), broadcast to every client. Default: dropped. */
  publishSystemNotification(_event: SystemNotificationEvent): void {
    // implemented by the gateway
  }
  /** `recording_status` (libs/server/recordings), broadcast to every connected client. Default: dropped (test fakes). */
  publishRecordingStatus(_event: RecordingStatusEvent): void {
    // implemented by the gateway
  }
  /** `report_progress` (libs/server/reports), broadcast to every connected client. Default: dropped (test fakes). */
  publishReportProgress(_event: ReportProgressEvent): void {
    // implemented by the gateway
  }
  /** Socket.io clients connected to this process (the /metrics gauge). Default: none. */
  connectedClients(): number {
    return 0;
  }
  /** `recording_storage`: the recordings disk warning, broadcast to every connected client. Default: dropped. */
  publishRecordingStorage(_event: RecordingStorageEvent): void {
    // implemented by the gateway
  }
}
