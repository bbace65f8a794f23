import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import {
  Api,
  type AlertRecipientDto,
  type AllSettingsDto,
  type PutSettingDto,
  type RiskLevel,
  type RiskSettingDto,
  type RiskSettingsDto,
  type SettingsCategoryDto,
  type UpdateAlertRecipientDto,
  createAlertRecipient,
  deleteAlertRecipient,
  getRiskSettings,
  getSettings,
  getSettingsCategory,
  listAlertRecipients,
  putRiskSettings,
  putSetting,
  updateAlertRecipient,
} from '../../generated';

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

export function toAllSettings(dto: AllSettingsDto): AllSettings {
  return Object.fromEntries(dto.categories.map((c) => [c.category, toCategory(c)]));
}

function toCategory(dto: SettingsCategoryDto): Record<string, unknown> {
  return { ...(dto.values ?? {}) };
}

export function toRecipient(dto: AlertRecipientDto): AlertRecipient {
  return {
    id: dto.id,
    name: dto.name,
    channel: dto.channel,
    destination: dto.destination,
    minLevel: dto.minLevel,
    cameraId: dto.cameraId ?? null,
    isActive: dto.isActive,
  };
}

const settingValue = (r: RiskSettingDto): Record<string, unknown> => obj(r.value);

/** Settings + alert recipients REST facade over the generated client (errors are `ApiError`; validation messages in `details`). */
@Injectable({ providedIn: 'root' })
export class SettingsApi {
  private readonly api = inject(Api);

  all(): Observable<AllSettings> {
    return this.api.invoke(getSettings).pipe(map(toAllSettings));
  }

  category(category: SettingsCategory): Observable<Record<string, unknown>> {
    return this.api.invoke(getSettingsCategory, { category }).pipe(map(toCategory));
  }

  put(category: SettingsCategory, key: string, value: unknown): Observable<unknown> {
    return this.api.invoke(putSetting, { category, key, body: { value: value as PutSettingDto['value'] } });
  }

  /** The risk settings (RiskSettings: timeZone, defaults {weights, thresholds, references, hysteresis}, profiles, cameras, schedules). */
  riskThresholds(): Observable<Record<string, unknown>> {
    return this.api.invoke(getRiskSettings).pipe(map(settingValue));
  }

  /** Replaces the risk settings; 400 lists each problem. Returns the stored (normalised) settings. */
  putRiskThresholds(value: Record<string, unknown>): Observable<Record<string, unknown>> {
    return this.api.invoke(putRiskSettings, { body: value as RiskSettingsDto }).pipe(map(settingValue));
  }

  recipients(): Observable<AlertRecipient[]> {
    return this.api.invoke(listAlertRecipients).pipe(map((list) => list.map(toRecipient)));
  }

  createRecipient(input: AlertRecipientInput): Observable<AlertRecipient> {
    return this.api.invoke(createAlertRecipient, { body: { ...input, minLevel: input.minLevel as RiskLevel } }).pipe(map(toRecipient));
  }

  updateRecipient(id: string, patch: Partial<AlertRecipientInput>): Observable<AlertRecipient> {
    const body: UpdateAlertRecipientDto = { ...patch, minLevel: patch.minLevel as RiskLevel | undefined };
    if (patch.minLevel === undefined) delete body.minLevel;
    return this.api.invoke(updateAlertRecipient, { id, body }).pipe(map(toRecipient));
  }

  deleteRecipient(id: string): Observable<void> {
    return this.api.invoke(deleteAlertRecipient, { id });
  }
}
