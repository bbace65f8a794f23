/*
 * CrowdSafe web push service worker (plain script, no imports, no CDN: CSP `worker-src 'self'`).
 * - push: shows the alert (title, body, View / Acknowledge actions, one notification per alert via its tag). When a
 *   console tab is open, that tab fetches the alert's annotated snapshot with its session and hands it over as a
 *   data: URL (the worker holds no credentials), shown as the notification image; otherwise no image.
 * - notificationclick: View opens /alerts/<id>; Acknowledge opens /alerts/<id>?action=acknowledge, where the
 *   signed-in console acknowledges it. An open console tab is focused and navigated instead of opening a new one.
 * No fetch handler: the worker never intercepts the console's requests.
 */
'use strict';

const SNAPSHOT_WAIT_MS = 3000;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  event.waitUntil(onPush(event));
});

async function onPush(event) {
  let p;
  try {
    p = event.data ? event.data.json() : {};
  } catch {
    p = { title: 'CrowdSafe alert', body: event.data ? event.data.text() : '' };
  }
  const alertId = typeof p.alertId === 'string' ? p.alertId : null;
  const image = alertId && p.event !== 'all_clear' ? await snapshotFromClient(alertId) : null;
  const actions = Array.isArray(p.actions) ? p.actions.filter((a) => a && (a.action === 'view' || a.action === 'acknowledge')).slice(0, 2) : [];
  const options = {
    body: typeof p.body === 'string' ? p.body : '',
    tag: typeof p.tag === 'string' ? p.tag : alertId ? 'alert-' + alertId : undefined,
    renotify: true,
    requireInteraction: p.level === 'CRITICAL',
    timestamp: typeof p.timestamp === 'number' ? p.timestamp : Date.now(),
    icon: new URL('favicon.svg', self.registration.scope).href,
    data: { alertId: alertId, url: typeof p.url === 'string' ? p.url : null, level: p.level || null },
    actions: actions,
  };
  if (image) options.image = image;
  await self.registration.showNotification(typeof p.title === 'string' && p.title ? p.title : 'CrowdSafe alert', options);
  for (const c of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
    c.postMessage({ type: 'cs-push-shown', alertId: alertId, withImage: !!image });
  }
}

/** Asks an open console tab for the snapshot as a data: URL; null when none answers in time. */
async function snapshotFromClient(alertId) {
  const clients = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (!clients.length) return null;
  return new Promise((resolve) => {
    let done = false;
    const finish = (v) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    setTimeout(() => finish(null), SNAPSHOT_WAIT_MS);
    for (const c of clients) {
      const ch = new MessageChannel();
      ch.port1.onmessage = (m) => finish(m.data && typeof m.data.dataUrl === 'string' && m.data.dataUrl.startsWith('data:image/') ? m.data.dataUrl : null);
      c.postMessage({ type: 'cs-snapshot-request', alertId: alertId }, [ch.port2]);
    }
  });
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const path = data.alertId
    ? 'alerts/' + encodeURIComponent(data.alertId) + (event.action === 'acknowledge' ? '?action=acknowledge' : '')
    : '';
  const target = new URL(path, self.registration.scope).href;
  event.waitUntil(openOrFocus(target));
});

async function openOrFocus(url) {
  const clients = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const c of clients) {
    if (new URL(c.url).origin === self.location.origin && 'focus' in c) {
      await c.focus();
      if ('navigate' in c) {
        try {
          await c.navigate(url);
          return;
        } catch {
          /* not controlled by this worker: fall back to a message */
        }
      }
      c.postMessage({ type: 'cs-open', url: url });
      return;
    }
  }
  await self.clients.openWindow(url);
}
