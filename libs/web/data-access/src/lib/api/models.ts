import type { CameraHealth, CameraSourceType, CameraStatus } from '@crowdsafe/contracts';

/**
 * Hand-written view models returned by the facades. Pages depend on these, never on the generated DTOs, so a
 * regenerated client can only break the mapping functions in this folder (a compile error in one place).
 */
export interface Camera {
  id: string;
  name: string;
  location: string | null;
  sourceType: CameraSourceType;
  isActive: boolean;
  status: CameraStatus;
  statusReason: string | null;
  targetFps: number;
  health: CameraHealth | null;
  currentCount: number | null;
}

export interface MetricPoint {
  /** ISO 8601. */
  time: string;
  cameraId: string;
  count: number;
  countMax: number | null;
  density: number | null;
  velocity: number | null;
  surge: number | null;
  flowIn: number | null;
  flowOut: number | null;
  riskScore: number | null;
  riskLevel: string | null;
  metadata: Record<string, unknown>;
}

export interface ServerHealth {
  status: 'ok';
  version: string;
  uptimeS: number;
  embedded: boolean;
  database: 'postgres' | 'sqlite';
  queue: 'bullmq' | 'in-process';
  cameras: number;
}

export interface MetricsQuery {
  /** Inclusive start (Date or ISO string). */
  start?: Date | string;
  /** Exclusive end (Date or ISO string). */
  end?: Date | string;
  /** Bucket size in seconds. */
  intervalS?: number;
}
