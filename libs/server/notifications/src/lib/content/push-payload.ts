import type { AlertPayload } from '../delivery.types';
import { eventVerb, oneLine, placeOf } from './format';
import { keyMetric, shortLink } from './sms-text';

export interface PushPayload {
  title: string;
  body: string;
  level: string;
  event: AlertPayload['event'];
  url: string;
  alertId: string;
  cameraId: string;
  /** Same tag per alert: a newer notification of the same alert replaces the older one on the device. */
  tag: string;
  timestamp: number;
  actions: Array<{ action: 'view' | 'acknowledge'; title: string }>;
}

/** Push services accept at most 4096 bytes of encrypted payload; stay well under. */
export const PUSH_PAYLOAD_MAX_BYTES = 3000;

/** The JSON the service worker receives (title/body/level/url/alertId, actions View/Acknowledge). */
export function buildPushPayload(a: AlertPayload): PushPayload {
  const clear = a.event === 'all_clear';
  const metric = keyMetric(a.metrics);
  const payload: PushPayload = {
    title: clear ? `All clear — ${placeOf(a)}` : `${oneLine(a.level, 16)}: crowd risk ${eventVerb(a.event)} — ${placeOf(a)}`,
    body: oneLine([oneLine(a.message, 400), clear ? '' : metric].filter(Boolean).join(' · '), 600),
    level: clear ? 'SAFE' : a.level,
    event: a.event,
    url: shortLink(a.consoleUrl, 2000),
    alertId: a.alertId,
    cameraId: a.cameraId,
    tag: `alert-${a.alertId}`,
    timestamp: a.triggeredAt,
    actions: clear ? [{ action: 'view', title: 'View' }] : [{ action: 'view', title: 'View' }, { action: 'acknowledge', title: 'Acknowledge' }],
  };
  while (Buffer.byteLength(JSON.stringify(payload)) > PUSH_PAYLOAD_MAX_BYTES && payload.body.length > 0) {
    payload.body = payload.body.slice(0, Math.floor(payload.body.length / 2));
  }
  return payload;
}
