import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { RiskLevel } from '@crowdsafe/contracts';
import { AlertsApi, PushApi, toApiError } from '@crowdsafe/web-data-access';
import { firstValueFrom } from 'rxjs';
import { deviceLabel, subscribeErrorText, vapidKeyBytes, withTimeout } from './push-keys';

/** How long the browser's push service may take to create a subscription. */
export const SUBSCRIBE_TIMEOUT_MS = 20_000;

/** The service worker script (apps/web/public/push-sw.js), registered at the console's root scope. */
export const PUSH_SW_URL = 'push-sw.js';

export type PushState =
  /** Not checked yet. */
  | 'unknown'
  /** The browser has no service workers / Push API / notifications (or the page is not a secure context). */
  | 'unsupported'
  /** The server has no VAPID key (VAPID_* not set). */
  | 'server-off'
  | 'not-subscribed'
  | 'subscribed'
  /** Notifications are blocked for this site. */
  | 'denied'
  | 'busy';

/**
 * Web push for this browser: registers the service worker, subscribes with the server's VAPID public key and
 * registers the subscription as a push recipient of the signed-in user (self-service endpoint). The worker asks an
 * open console tab for the alert's snapshot (the tab has the session); `/alerts/:id?action=acknowledge` handles the
 * notification's Acknowledge action.
 */
@Injectable({ providedIn: 'root' })
export class PushService {
  private readonly doc = inject(DOCUMENT);
  private readonly api = inject(PushApi);
  private readonly alerts = inject(AlertsApi);
  private readonly router = inject(Router);
  private readonly _state = signal<PushState>('unknown');
  private readonly _error = signal<string | null>(null);
  private readonly _minLevel = signal<RiskLevel | null>(null);
  private key: string | null = null;
  private listening = false;

  readonly state = this._state.asReadonly();
  readonly error = this._error.asReadonly();
  readonly minLevel = this._minLevel.asReadonly();

  private get nav(): Navigator | null {
    return this.doc.defaultView?.navigator ?? null;
  }

  supported(): boolean {
    const w = this.doc.defaultView as (Window & typeof globalThis) | null;
    return !!w && !!w.isSecureContext && !!this.nav && 'serviceWorker' in this.nav && 'PushManager' in w && 'Notification' in w;
  }

  /** Checks support, the server key and whether this browser is subscribed; answers the worker's snapshot requests. */
  async refresh(): Promise<void> {
    this._error.set(null);
    if (!this.supported()) return this._state.set('unsupported');
    this.listen();
    try {
      this.key = await firstValueFrom(this.api.publicKey());
    } catch (e) {
      this._error.set(toApiError(e).message);
      return this._state.set('server-off');
    }
    if (!this.key) return this._state.set('server-off');
    if (Notification.permission === 'denied') return this._state.set('denied');
    try {
      const reg = await this.registration();
      const sub = await reg?.pushManager.getSubscription();
      if (!sub) return this._state.set('not-subscribed');
      const st = await firstValueFrom(this.api.status(sub.endpoint));
      this._minLevel.set(st.minLevel);
      this._state.set(st.subscribed && st.active ? 'subscribed' : 'not-subscribed');
    } catch (e) {
      // Service workers disabled by policy, storage blocked, status call failed: say so, never throw.
      this._error.set(e instanceof Error && e.name === 'ApiError' ? e.message : subscribeErrorText(e));
      this._state.set('not-subscribed');
    }
  }

  /** Asks for permission (must run in a click handler), subscribes and registers the subscription. */
  async subscribe(minLevel: RiskLevel = 'WARNING'): Promise<void> {
    this._error.set(null);
    if (!this.key) await this.refresh();
    if (!this.key || !this.supported()) return;
    this._state.set('busy');
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        this._state.set(permission === 'denied' ? 'denied' : 'not-subscribed');
        if (permission !== 'denied') this._error.set('Notifications were not allowed.');
        return;
      }
      const reg = await this.registration(true);
      if (!reg) throw new Error('the service worker could not be registered');
      let sub = await reg.pushManager.getSubscription();
      const key = vapidKeyBytes(this.key);
      if (sub && !sameKey(sub.options.applicationServerKey, key)) {
        await sub.unsubscribe();
        sub = null;
      }
      sub ??= await withTimeout(
        reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
        SUBSCRIBE_TIMEOUT_MS,
        `the browser's push service did not answer within ${SUBSCRIBE_TIMEOUT_MS / 1000} s (is it reachable from this computer?)`,
      );
      const st = await firstValueFrom(this.api.subscribe(sub.toJSON(), minLevel, deviceLabel(this.nav?.userAgent ?? '')));
      this._minLevel.set(st.minLevel);
      this._state.set('subscribed');
    } catch (e) {
      this._error.set(e instanceof Error && e.name === 'ApiError' ? e.message : subscribeErrorText(e));
      this._state.set(typeof Notification !== 'undefined' && Notification.permission === 'denied' ? 'denied' : 'not-subscribed');
    }
  }

  async unsubscribe(): Promise<void> {
    this._error.set(null);
    this._state.set('busy');
    try {
      const sub = await (await this.registration())?.pushManager.getSubscription();
      if (sub) {
        await firstValueFrom(this.api.remove(sub.endpoint));
        await sub.unsubscribe();
      }
      this._state.set('not-subscribed');
    } catch (e) {
      this._error.set(toApiError(e).message);
      this._state.set('subscribed');
    }
  }

  /** The worker's registration (registering it when `create`, else only if it exists). */
  private async registration(create = false): Promise<ServiceWorkerRegistration | null> {
    const sw = this.nav?.serviceWorker;
    if (!sw) return null;
    const base = new URL(this.doc.baseURI);
    const existing = await sw.getRegistration(base.href);
    if (existing?.active || existing?.installing || existing?.waiting) return existing;
    if (!create) return existing ?? null;
    await sw.register(new URL(PUSH_SW_URL, base).href, { scope: base.pathname });
    return withTimeout(sw.ready, 15_000, 'the push service worker did not start within 15 s');
  }

  /** Snapshot requests and navigation hints from the worker. */
  private listen(): void {
    if (this.listening || !this.nav?.serviceWorker) return;
    this.listening = true;
    this.nav.serviceWorker.addEventListener('message', (ev: MessageEvent) => {
      const m = ev.data as { type?: string; alertId?: string; url?: string } | null;
      if (m?.type === 'cs-snapshot-request' && typeof m.alertId === 'string' && ev.ports[0]) void this.answerSnapshot(m.alertId, ev.ports[0]);
      if (m?.type === 'cs-open' && typeof m.url === 'string') {
        const u = new URL(m.url, this.doc.baseURI);
        if (u.origin === this.doc.defaultView?.location.origin) void this.router.navigateByUrl(u.pathname + u.search);
      }
    });
  }

  private async answerSnapshot(alertId: string, port: MessagePort): Promise<void> {
    try {
      const blob = await firstValueFrom(this.alerts.snapshot(alertId));
      port.postMessage({ dataUrl: await toDataUrl(blob) });
    } catch {
      port.postMessage({ dataUrl: null });
    }
  }
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

function toDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}
