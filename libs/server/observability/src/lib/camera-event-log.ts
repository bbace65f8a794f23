import { Injectable, Logger } from '@nestjs/common';
import type { CameraStatus } from '@crowdsafe/contracts';
import { CameraEventLog, type CameraLifecycleEvent } from '@crowdsafe/server-core';
import { type SystemLogEntry, SystemLogRepository } from '@crowdsafe/server-database';

/** The same camera, action and reason are written at most once per this window (a source failing in a loop). */
export const CAMERA_EVENT_REPEAT_MS = 60_000;
/** Cameras whose last event is remembered (bounded; the oldest is forgotten first). */
export const CAMERA_EVENT_MAX_CAMERAS = 10_000;

/**
 * What a status change means for an operator reading the camera log. Pure. `previous` is the camera's status
 * before this event (null at the first event of this process).
 */
export function cameraLogEntry(e: CameraLifecycleEvent, previous: CameraStatus | null): SystemLogEntry {
  const name = `Camera "${e.cameraName}"`;
  const base = { category: 'camera' as const, resourceType: 'camera', resourceId: e.cameraId, time: e.at, details: { status: e.status, reason: e.reason, restarts: e.restarts, previous } };
  switch (e.status) {
    case 'online':
      return { ...base, level: 'info', action: 'camera.connected', message: e.restarts > 0 ? `${name} connected again (after ${e.restarts} restart${e.restarts === 1 ? '' : 's'})` : `${name} connected` };
    case 'connecting':
      if (previous === 'online' || e.reason)
        return { ...base, level: 'warn', action: 'camera.lost', message: `${name} lost${e.reason ? `: ${e.reason}` : ''}; restarting ffmpeg (restart ${e.restarts + 1})` };
      return { ...base, level: 'info', action: 'camera.connecting', message: `${name} connecting` };
    case 'error':
      return { ...base, level: 'error', action: 'camera.error', message: `${name} error: ${e.reason ?? 'unknown'}; retrying with backoff` };
    default:
      return { ...base, level: 'info', action: 'camera.offline', message: `${name} offline${e.reason ? ` (${e.reason})` : ''}` };
  }
}

/** CameraEventLog writing `system_logs` rows (category camera): the console's camera logs and System page read them. */
@Injectable()
export class SystemLogCameraEvents extends CameraEventLog {
  private readonly logger = new Logger('CameraEvents');
  private readonly last = new Map<string, { status: CameraStatus; key: string; at: number }>();

  constructor(private readonly logs: SystemLogRepository) {
    super();
  }

  record(e: CameraLifecycleEvent): void {
    const prev = this.last.get(e.cameraId);
    const entry = cameraLogEntry(e, prev?.status ?? null);
    const key = `${entry.action}|${e.reason ?? ''}`;
    const now = e.at.getTime();
    this.last.delete(e.cameraId); // re-insert: Map order = least recently updated first
    this.last.set(e.cameraId, { status: e.status, key, at: prev && prev.key === key && now - prev.at < CAMERA_EVENT_REPEAT_MS ? prev.at : now });
    while (this.last.size > CAMERA_EVENT_MAX_CAMERAS) this.last.delete(this.last.keys().next().value as string);
    if (prev && prev.key === key && now - prev.at < CAMERA_EVENT_REPEAT_MS) return;
    this.logs.write(entry).catch((err: unknown) => this.logger.warn(`could not write the camera log of ${e.cameraId}: ${err instanceof Error ? err.message : String(err)}`));
  }
}
