import type { RecordingRecord } from '@crowdsafe/server-database';
import type { RecordingDto } from './recordings.dto';

export function viewOfRecording(r: RecordingRecord): RecordingDto {
  return {
    id: r.id,
    cameraId: r.cameraId,
    alertId: r.alertId,
    trigger: r.trigger,
    status: r.status,
    startTime: r.startTime.toISOString(),
    endTime: r.endTime?.toISOString() ?? null,
    durationS: r.durationS,
    sizeBytes: r.sizeBytes,
    hasThumbnail: !!r.thumbnailPath,
    isProtected: r.isProtected,
    peakCount: r.peakCount,
    peakDensity: r.peakDensity,
    peakRiskScore: r.peakRiskScore,
    error: r.error,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  };
}
