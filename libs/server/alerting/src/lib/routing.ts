import type { AlertChannel, RiskLevel } from '@crowdsafe/contracts';
import { levelRank } from './levels';
import type { AlertRecipient, Delivery } from './types';

/** Channels used per level ('dashboard' = operators' screens). */
export type RoutingTable = Readonly<Record<RiskLevel, readonly AlertChannel[]>>;

/** Spec 4.4 escalation table, the default of the `alerts.routing` setting. */
export const ROUTING_TABLE: RoutingTable = Object.freeze({
  SAFE: [],
  CAUTION: ['dashboard'],
  WARNING: ['dashboard', 'email'],
  CRITICAL: ['dashboard', 'email', 'push', 'webhook', 'sms'],
});

/** Channels to notify for an alert at this level. */
export function channelsForLevel(level: RiskLevel, table: RoutingTable = ROUTING_TABLE): AlertChannel[] {
  return [...(table[level] ?? [])];
}

/**
 * Recipients to deliver to for an alert at `level` on `cameraId`: active rows for this camera or all cameras
 * (cameraId null), whose channel the level uses and whose minLevel the level reaches; one delivery per
 * (channel, destination), in recipient order.
 */
export function routeAlert(level: RiskLevel, cameraId: string, recipients: readonly AlertRecipient[], table: RoutingTable = ROUTING_TABLE): Delivery[] {
  const channels = table[level] ?? [];
  const out: Delivery[] = [];
  const seen = new Set<string>();
  for (const r of recipients) {
    if (!r.isActive) continue;
    if (r.cameraId !== null && r.cameraId !== cameraId) continue;
    if (!channels.includes(r.channel)) continue;
    if (levelRank(level) < levelRank(r.minLevel)) continue;
    const destination = r.destination.trim();
    if (!destination) continue;
    const key = `${r.channel}\u0000${destination}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ channel: r.channel, destination });
  }
  return out;
}
