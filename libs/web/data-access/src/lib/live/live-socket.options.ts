import { InjectionToken, type Provider } from '@angular/core';
import { WS_NAMESPACE } from '@crowdsafe/contracts';

export interface LiveSocketOptions {
  /** Origin of the socket.io server; null means the page's own origin (the api serves the app). */
  origin: string | null;
  /** socket.io namespace (contracts `WS_NAMESPACE`). */
  namespace: string;
  /** socket.io HTTP path. */
  path: string;
  /** First reconnect delay; doubles per attempt (with ±50 % jitter) up to `reconnectDelayMaxMs`. */
  reconnectDelayMs: number;
  reconnectDelayMaxMs: number;
  /** Connect timeout of one attempt. */
  connectTimeoutMs: number;
  /**
   * Heartbeat period. Every period the connection is checked: a connected socket that received nothing (no event,
   * no engine.io ping) for a whole period is forced closed and reconnected; a socket that is neither connected nor
   * reconnecting (server-side disconnect, rejected handshake) is reconnected.
   */
  heartbeatMs: number;
}

export const DEFAULT_LIVE_SOCKET_OPTIONS: LiveSocketOptions = {
  origin: null,
  namespace: WS_NAMESPACE,
  path: '/socket.io',
  reconnectDelayMs: 500,
  reconnectDelayMaxMs: 10_000,
  connectTimeoutMs: 10_000,
  heartbeatMs: 30_000,
};

export const LIVE_SOCKET_OPTIONS = new InjectionToken<LiveSocketOptions>('LIVE_SOCKET_OPTIONS', {
  providedIn: 'root',
  factory: () => DEFAULT_LIVE_SOCKET_OPTIONS,
});

export function provideLiveSocketOptions(options: Partial<LiveSocketOptions>): Provider {
  return { provide: LIVE_SOCKET_OPTIONS, useValue: { ...DEFAULT_LIVE_SOCKET_OPTIONS, ...options } };
}
