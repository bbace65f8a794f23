import type { CameraLifecycleEvent } from '@crowdsafe/server-core';
import type { SystemLogEntry, SystemLogRepository } from '@crowdsafe/server-database';
import { cameraLogEntry, SystemLogCameraEvents } from './camera-event-log';

const ev = (o: Partial<CameraLifecycleEvent>): CameraLifecycleEvent => ({ cameraId: 'c1', cameraName: 'Gate A', status: 'online', reason: null, restarts: 0, at: new Date(0), ...o });

describe('cameraLogEntry', () => {
  it.each([
    [ev({ status: 'connecting' }), null, 'camera.connecting', 'info', 'Camera "Gate A" connecting'],
    [ev({ status: 'online' }), 'connecting', 'camera.connected', 'info', 'Camera "Gate A" connected'],
    [ev({ status: 'connecting', reason: 'stream stalled: no frame for 10000 ms' }), 'online', 'camera.lost', 'warn', 'Camera "Gate A" lost: stream stalled: no frame for 10000 ms; restarting ffmpeg (restart 1)'],
    [ev({ status: 'online', restarts: 2 }), 'connecting', 'camera.connected', 'info', 'Camera "Gate A" connected again (after 2 restarts)'],
    [ev({ status: 'error', reason: 'Connection refused' }), 'connecting', 'camera.error', 'error', 'Camera "Gate A" error: Connection refused; retrying with backoff'],
    [ev({ status: 'offline', reason: 'stopped' }), 'online', 'camera.offline', 'info', 'Camera "Gate A" offline (stopped)'],
  ] as const)('%j after %s -> %s', (e, prev, action, level, message) => {
    expect(cameraLogEntry(e, prev)).toMatchObject({ category: 'camera', resourceType: 'camera', resourceId: 'c1', action, level, message });
  });
});

describe('SystemLogCameraEvents', () => {
  it('writes each change, but the same failure at most once a minute per camera', async () => {
    const written: SystemLogEntry[] = [];
    const sink = new SystemLogCameraEvents({ write: async (e: SystemLogEntry) => void written.push(e) } as unknown as SystemLogRepository);
    const t = (s: number) => new Date(s * 1000);
    sink.record(ev({ status: 'connecting', at: t(0) }));
    sink.record(ev({ status: 'error', reason: 'refused', at: t(1) }));
    sink.record(ev({ status: 'error', reason: 'refused', at: t(5) }));
    sink.record(ev({ status: 'error', reason: 'refused', at: t(30) }));
    sink.record(ev({ status: 'error', reason: 'refused', at: t(62) }));
    sink.record(ev({ status: 'online', at: t(63) }));
    await new Promise((r) => setImmediate(r));
    expect(written.map((w) => w.action)).toEqual(['camera.connecting', 'camera.error', 'camera.error', 'camera.connected']);
  });
});
