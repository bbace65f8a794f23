import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';

export type SettingsCategory = 'general' | 'alerts' | 'risk' | 'system';

/** GET /api/settings: `{ [category]: { [key]: value } }`. */
export type AllSettings = Record<string, Record<string, unknown>>;

export type RecipientChannel = 'email' | 'sms' | 'push' | 'webhook';

export interface AlertRecipient {
  id: string;
  name: string;
  channel: RecipientChannel;
  destination: string;
  minLevel: string;
  cameraId: string | null;
  isActive: boolean;
}

export type AlertRecipientInput = Omit<AlertRecipient, 'id'>;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Accepts `{general: {...}}`, `{categories: {...}}` or `[{category, key, value}]`. */
export function toAllSettings(raw: unknown): AllSettings {
  if (Array.isArray(raw)) {
    const out: AllSettings = {};
    for (const row of raw) {
      const r = obj(row);
      const c = String(r['category'] ?? '');
      if (!c) continue;
      (out[c] ??= {})[String(r['key'])] = r['value'];
    }
    return out;
  }
  const r = obj(raw);
  if (Array.isArray(r['categories'])) {
    // { categories: [{ category, values: { key: value }, settings: [...] }] }
    return Object.fromEntries((r['categories'] as unknown[]).map((c) => [String(obj(c)['category']), obj(obj(c)['values'])]));
  }
  const src = r['categories'] ? obj(r['categories']) : r;
  const out: AllSettings = {};
  for (const [c, v] of Object.entries(src)) out[c] = toCategory(v);
  return out;
}

function toCategory(raw: unknown): Record<string, unknown> {
  if (raw && typeof raw === 'object' && 'values' in raw && 'category' in raw) return obj((raw as Json)['values']);
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map((row) => [String(obj(row)['key']), obj(row)['value']]));
  }
  const r = obj(raw);
  // `{ key: { value, version, ... } }` or plain `{ key: value }`
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    const vo = obj(v);
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && 'value' in vo && ('version' in vo || 'updatedAt' in vo) ? vo['value'] : v;
  }
  return out;
}

export function toRecipient(raw: unknown): AlertRecipient {
  const r = obj(raw);
  return {
    id: String(r['id'] ?? ''),
    name: String(r['name'] ?? ''),
    channel: (r['channel'] ?? r['type'] ?? 'email') as RecipientChannel,
    destination: typeof r['destination'] === 'string' ? r['destination'] : JSON.stringify(r['destination'] ?? ''),
    minLevel: String(r['minLevel'] ?? 'WARNING'),
    cameraId: typeof r['cameraId'] === 'string' ? r['cameraId'] : null,
    isActive: r['isActive'] !== false,
  };
}

/** Settings + alert recipients REST facade (errors are `ApiError`; validation messages in `details`). */
@Injectable({ providedIn: 'root' })
export class SettingsApi {
  private readonly http = inject(HttpClient);

  all(): Observable<AllSettings> {
    return this.http.get<unknown>('/api/settings').pipe(map(toAllSettings));
  }

  category(category: SettingsCategory): Observable<Record<string, unknown>> {
    return this.http.get<unknown>(`/api/settings/${category}`).pipe(map(toCategory));
  }

  put(category: SettingsCategory, key: string, value: unknown): Observable<unknown> {
    return this.http.put<unknown>(`/api/settings/${category}/${encodeURIComponent(key)}`, { value });
  }

  /** The risk settings (RiskSettings: timeZone, defaults {weights, thresholds, references, hysteresis}, profiles, cameras, schedules). */
  riskThresholds(): Observable<Record<string, unknown>> {
    return this.http.get<unknown>('/api/settings/risk/thresholds').pipe(map((r) => obj(obj(r)['value'] ?? r)));
  }

  /** Replaces the risk settings; 400 lists each problem. Returns the stored (normalised) settings. */
  putRiskThresholds(value: Record<string, unknown>): Observable<Record<string, unknown>> {
    return this.http.put<unknown>('/api/settings/risk/thresholds', value).pipe(map((r) => obj(obj(r)['value'] ?? r)));
  }

  recipients(): Observable<AlertRecipient[]> {
    return this.http
      .get<unknown>('/api/alert-recipients')
      .pipe(map((r) => (Array.isArray(r) ? r : (obj(r)['items'] as unknown[] | undefined) ?? []).map(toRecipient)));
  }

  createRecipient(input: AlertRecipientInput): Observable<AlertRecipient> {
    return this.http.post<unknown>('/api/alert-recipients', input).pipe(map(toRecipient));
  }

  updateRecipient(id: string, patch: Partial<AlertRecipientInput>): Observable<AlertRecipient> {
    return this.http.patch<unknown>(`/api/alert-recipients/${encodeURIComponent(id)}`, patch).pipe(map(toRecipient));
  }

  deleteRecipient(id: string): Observable<void> {
    return this.http.delete<void>(`/api/alert-recipients/${encodeURIComponent(id)}`);
  }
}
