import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject, of, throwError } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { FakeSocket } from './fake-socket.test-util';
import { provideLiveSocketOptions } from './live-socket.options';
import { LiveSocket } from './live-socket.service';

const sockets: FakeSocket[] = [];
jest.mock('socket.io-client', () => ({
  io: (url: string, opts: Record<string, unknown>) => {
    const s = new FakeSocket(url, opts);
    sockets.push(s);
    return s;
  },
}));

class FakeAuth {
  readonly token = signal<string | null>('tok-1');
  readonly status = signal<'authenticated' | 'anonymous'>('authenticated');
  readonly isLoggedIn = signal(true);
  refresh = jest.fn(() => of('tok-2'));
  sessionLost = jest.fn();
}

const metrics = (cameraId: string, count = 3) => ({ cameraId, time: '2026-01-01T00:00:00.000Z', count, countMax: count, countMethod: 'tracking', frames: 5, health: {} });

describe('LiveSocket', () => {
  let live: LiveSocket;
  let auth: FakeAuth;
  const socket = () => sockets[sockets.length - 1];

  beforeEach(() => {
    sockets.length = 0;
    jest.useFakeTimers();
    auth = new FakeAuth();
    TestBed.configureTestingModule({
      providers: [{ provide: AuthService, useValue: auth }, provideLiveSocketOptions({ origin: 'http://host:1', heartbeatMs: 1000, connectTimeoutMs: 500 })],
    });
    live = TestBed.inject(LiveSocket);
    TestBed.tick();
  });
  afterEach(() => {
    TestBed.resetTestingModule();
    jest.useRealTimers();
  });

  it('is idle until asked; connects once, websocket only, with the session token', () => {
    expect(live.state()).toBe('idle');
    expect(sockets).toHaveLength(0);
    live.connect();
    live.connect();
    expect(sockets).toHaveLength(1);
    expect(socket().url).toBe('http://host:1/live');
    expect(socket().opts['transports']).toEqual(['websocket']);
    expect(live.state()).toBe('connecting');
    expect(socket().serverConnect()).toBe('tok-1');
    expect(live.state()).toBe('connected');
    expect(live.connected()).toBe(true);
  });

  it('reference-counts rooms: one subscribe for two callers, unsubscribe after the last release', async () => {
    const r1 = live.subscribe('cam-1');
    const r2 = live.subscribe('cam-1');
    socket().serverConnect();
    await jest.advanceTimersByTimeAsync(0);
    expect(socket().names()).toEqual(['subscribe:{"cameraId":"cam-1"}']);
    socket().ackAll();
    await Promise.resolve();
    r1();
    r1(); // idempotent
    expect(socket().emitted).toHaveLength(0);
    r2();
    await jest.advanceTimersByTimeAsync(0);
    expect(socket().names()).toEqual(['unsubscribe:{"cameraId":"cam-1"}']);
  });

  it('re-joins every room and frame stream after a reconnect and counts the reconnect', async () => {
    live.subscribe('a');
    live.watchFrames('b');
    socket().serverConnect();
    socket().ackAll();
    socket().fire('disconnect', 'transport close');
    expect(live.state()).toBe('reconnecting');
    socket().serverConnect();
    await jest.advanceTimersByTimeAsync(0);
    expect(socket().names().sort()).toEqual(['subscribe:{"cameraId":"a"}', 'watch_frames:{"cameraId":"b","enabled":true}']);
    expect(live.reconnects()).toBe(1);
  });

  it('sends room commands of one camera one at a time (next after the ack or the timeout)', async () => {
    socket_connect(live);
    const release = live.watchFrames('c');
    release();
    live.subscribe('c');
    await jest.advanceTimersByTimeAsync(0);
    expect(socket().names()).toEqual(['watch_frames:{"cameraId":"c","enabled":true}']);
    socket().emitted.splice(0)[0].ack?.({ ok: true });
    await jest.advanceTimersByTimeAsync(0);
    expect(socket().names()).toEqual(['watch_frames:{"cameraId":"c","enabled":false}']);
    socket().emitted.length = 0; // never acked: the chain goes on after connectTimeoutMs
    await jest.advanceTimersByTimeAsync(500);
    expect(socket().names()[0]).toBe('unsubscribe:{"cameraId":"c"}');
  });

  it('records a refused subscription as the last error', async () => {
    socket_connect(live);
    live.subscribe('x');
    await jest.advanceTimersByTimeAsync(0);
    socket().ackAll({ ok: false, error: 'unknown camera' });
    expect(live.lastError()).toBe('subscribe x refused: unknown camera');
  });

  it.each([
    ['metrics_update', { cameraId: 7 }],
    ['metrics_update', null],
    ['camera_status', {}],
    ['frame', { cameraId: 'cam', jpeg: new ArrayBuffer(2) }], // not watched
    ['frame', { cameraId: 'w', jpeg: 'not bytes' }],
  ])('drops a malformed or unwatched %s event', (event, payload) => {
    socket_connect(live);
    live.watchFrames('w');
    socket().fire(event, payload);
    expect(live.metrics()).toEqual({});
    expect(live.statuses()).toEqual({});
    expect(live.frames()).toEqual({});
  });

  it('keeps the latest metrics, status and frame per camera; releasing forgets them', () => {
    socket_connect(live);
    const rel = live.subscribe('cam');
    const relF = live.watchFrames('cam');
    socket().fire('metrics_update', metrics('cam', 3));
    socket().fire('metrics_update', metrics('cam', 9));
    socket().fire('camera_status', { cameraId: 'cam', status: 'online' });
    socket().fire('frame', { cameraId: 'cam', jpeg: new Uint8Array([1, 2, 3]), detections: undefined });
    expect(live.metrics()['cam'].event.count).toBe(9);
    expect(live.statuses()['cam'].event).toMatchObject({ status: 'online' });
    expect(Array.from(live.frames()['cam'].jpeg as Uint8Array)).toEqual([1, 2, 3]);
    expect(live.frames()['cam'].detections).toEqual([]);
    relF();
    expect(live.frames()).toEqual({});
    expect(live.metrics()['cam']).toBeDefined();
    rel();
    expect(live.metrics()).toEqual({});
  });

  it('publishes well-formed alert events only', () => {
    socket_connect(live);
    const seen: unknown[] = [];
    live.alerts$.subscribe((e) => seen.push(e));
    socket().fire('alert', { alert: { id: 'a1' } });
    socket().fire('alert', { alert: {} });
    socket().fire('alert', null);
    expect(seen).toEqual([{ alert: { id: 'a1' } }]);
  });

  it('acknowledgeAlert: the server answer, a timeout, or no connection', async () => {
    expect(await live.acknowledgeAlert('a1')).toEqual({ ok: false, error: 'no live connection' });
    socket_connect(live);
    const p = live.acknowledgeAlert('a1', 'on it');
    const sent = socket().emitted.pop();
    expect(sent?.payload).toEqual({ alertId: 'a1', notes: 'on it' });
    sent?.ack?.({ ok: true });
    expect(await p).toEqual({ ok: true });
    const slow = live.acknowledgeAlert('a2', undefined, 100);
    expect(socket().emitted.pop()?.payload).toEqual({ alertId: 'a2' });
    jest.advanceTimersByTime(100);
    expect(await slow).toEqual({ ok: false, error: 'the server did not answer in time' });
  });

  it('an unauthorised handshake refreshes the session once and reconnects with the new token', () => {
    const pending = new Subject<string>();
    auth.refresh.mockReturnValue(pending);
    socket_connect(live);
    socket().fire('connect_error', new Error('unauthorized'));
    socket().fire('connect_error', new Error('unauthorized'));
    expect(auth.refresh).toHaveBeenCalledTimes(1);
    expect(live.state()).toBe('reconnecting');
    pending.next('tok-2');
    pending.complete();
    auth.token.set('tok-2');
    TestBed.tick();
    expect(socket().serverConnect()).toBe('tok-2');
  });

  it('a refused refresh ends the session', () => {
    auth.refresh.mockReturnValue(throwError(() => ({ status: 401 })));
    socket_connect(live);
    socket().fire('connect_error', new Error('Unauthorized'));
    expect(auth.sessionLost).toHaveBeenCalled();
  });

  it('signing out closes the socket on purpose; signing in again reconnects', () => {
    socket_connect(live);
    auth.isLoggedIn.set(false);
    auth.token.set(null);
    TestBed.tick();
    expect(live.state()).toBe('idle');
    expect(socket().connected).toBe(false);
    auth.isLoggedIn.set(true);
    auth.token.set('tok-9');
    TestBed.tick();
    expect(live.state()).toBe('connecting');
    expect(socket().serverConnect()).toBe('tok-9');
  });

  it('the heartbeat closes a silent connection and retries a dead one', () => {
    socket_connect(live);
    jest.advanceTimersByTime(2001);
    expect(socket().io.engine.close).toHaveBeenCalled();
    expect(live.lastError()).toMatch(/no data from the server/);
    socket().connected = false;
    socket().active = false;
    const before = socket().connectCalls;
    jest.advanceTimersByTime(1000);
    expect(socket().connectCalls).toBe(before + 1);
  });

  it('a server-side disconnect is retried with backoff', () => {
    socket_connect(live);
    socket().connected = false;
    socket().active = false;
    socket().fire('disconnect', 'io server disconnect');
    expect(live.lastError()).toBe('disconnected by the server (io server disconnect)');
    const before = socket().connectCalls;
    jest.advanceTimersByTime(800); // 500 ms × (0.5..1.5)
    expect(socket().connectCalls).toBe(before + 1);
  });

  it('disconnect() forgets rooms and stops', () => {
    socket_connect(live);
    live.subscribe('a');
    live.disconnect();
    expect(live.state()).toBe('disconnected');
  });

  function socket_connect(l: LiveSocket): void {
    l.connect();
    socket().serverConnect();
  }
});
