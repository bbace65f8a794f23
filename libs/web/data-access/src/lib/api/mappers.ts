import type { CameraHealth } from '@crowdsafe/contracts';
import type { CameraDto, CameraHealthDto, HealthDto, MetricPointDto } from '../../generated';
import type { Camera, MetricPoint, ServerHealth } from './models';

export function toCameraHealth(dto: CameraHealthDto): CameraHealth {
  return {
    status: dto.status,
    ...(dto.reason ? { reason: dto.reason } : {}),
    lastFrameAgeMs: dto.lastFrameAgeMs ?? null,
    fpsIn: dto.fpsIn,
    fpsOut: dto.fpsOut,
    droppedFrames: dto.droppedFrames,
    staleFrames: dto.staleFrames,
    restarts: dto.restarts,
    framesDecoded: dto.framesDecoded,
    framesProcessed: dto.framesProcessed,
    skippedFrames: dto.skippedFrames ?? 0,
    bytesRead: dto.bytesRead ?? 0,
    decodeErrors: dto.decodeErrors ?? 0,
  };
}

export function toCamera(dto: CameraDto): Camera {
  return {
    id: dto.id,
    name: dto.name,
    location: dto.location ?? null,
    sourceType: dto.sourceType,
    isActive: dto.isActive,
    status: dto.status,
    statusReason: dto.statusReason ?? null,
    targetFps: dto.targetFps,
    health: dto.health ? toCameraHealth(dto.health) : null,
    currentCount: dto.currentCount ?? null,
  };
}

export function toMetricPoint(dto: MetricPointDto): MetricPoint {
  return {
    time: dto.time,
    cameraId: dto.cameraId,
    count: dto.count,
    countMax: dto.countMax ?? null,
    density: dto.density ?? null,
    velocity: dto.velocity ?? null,
    surge: dto.surge ?? null,
    flowIn: dto.flowIn ?? null,
    flowOut: dto.flowOut ?? null,
    riskScore: dto.riskScore ?? null,
    riskLevel: dto.riskLevel ?? null,
    metadata: (dto.metadata ?? {}) as Record<string, unknown>,
  };
}

export function toServerHealth(dto: HealthDto): ServerHealth {
  return {
    status: dto.status,
    version: dto.version,
    uptimeS: dto.uptimeS,
    embedded: dto.embedded,
    database: dto.database,
    queue: dto.queue,
    cameras: dto.cameras,
  };
}
