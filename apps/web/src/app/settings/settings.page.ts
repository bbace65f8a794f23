import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import {
  type AlertRecipient,
  type AlertRecipientInput,
  type Camera,
  CamerasApi,
  ConsoleSettingsStore,
  type RecipientChannel,
  SettingsApi,
  type SettingsCategory,
  timeZoneChoices,
  toApiError,
} from '@crowdsafe/web-data-access';
import { ModalComponent, ToastService, ToastsComponent } from '@crowdsafe/web-ui';
import { concat, last, tap } from 'rxjs';
import { injectAccess } from '../cameras/access';
import { AlertPolicySettingsComponent } from './alert-policy.component';
import { PushCardComponent } from '../push/push-card.component';
import { RiskSettingsComponent } from './risk-settings.component';

type Tab = 'general' | 'alerts' | 'policy' | 'sound' | 'risk' | 'system';

interface Sound {
  enabled: boolean;
  volume: number;
  snoozeMinutes: number;
  repeatCriticalS: number;
}

const CHANNELS: { id: RecipientChannel; label: string; placeholder: string }[] = [
  { id: 'email', label: 'Email', placeholder: 'ops@example.org' },
  { id: 'sms', label: 'SMS', placeholder: '+447700900123' },
  { id: 'webhook', label: 'Webhook', placeholder: 'https://hooks.example.org/crowdsafe' },
  { id: 'push', label: 'Web push', placeholder: '{"endpoint":"https://…","keys":{"p256dh":"…","auth":"…"}}' },
];
const LEVELS = ['CAUTION', 'WARNING', 'CRITICAL'];

@Component({
  selector: 'cs-settings-page',
  imports: [FormsModule, ModalComponent, ToastsComponent, RiskSettingsComponent, AlertPolicySettingsComponent, PushCardComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './settings.page.html',
})
export class SettingsPage {
  private readonly api = inject(SettingsApi);
  private readonly camerasApi = inject(CamerasApi);
  private readonly toasts = inject(ToastService);
  private readonly consoleSettings = inject(ConsoleSettingsStore);
  protected readonly access = injectAccess();

  protected readonly tab = signal<Tab>('general');
  protected readonly tabs = computed((): { id: Tab; label: string }[] => [
    { id: 'general', label: 'General' },
    { id: 'alerts', label: 'Alert channels' },
    { id: 'policy', label: 'Alert policy' },
    { id: 'sound', label: 'Sound & cooldown' },
    { id: 'risk', label: 'Risk' },
    ...(this.access.isAdmin() ? [{ id: 'system' as Tab, label: 'System' }] : []),
  ]);
  /** The browser's IANA zones (Intl.supportedValuesOf), with UTC and the stored value always present. */
  protected readonly zones = computed(() => timeZoneChoices(this.timeZone()));
  protected readonly channels = CHANNELS;
  protected readonly levels = LEVELS;

  protected readonly loaded = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly saving = signal(false);
  /** Inline errors by "category.key" (server 400 messages). */
  protected readonly errors = signal<Record<string, string[]>>({});

  // general
  protected readonly siteName = signal('');
  protected readonly timeZone = signal('UTC');
  protected readonly theme = signal('auto');
  // alerts
  protected readonly cooldownS = signal<number | null>(null);
  protected readonly allClearS = signal<number | null>(null);
  protected readonly sound = signal<Sound>({ enabled: true, volume: 0.8, snoozeMinutes: 10, repeatCriticalS: 30 });
  // system
  protected readonly defaultTargetFps = signal<number | null>(null);
  protected readonly defaultWidth = signal<number | null>(null);
  protected readonly defaultHeight = signal<number | null>(null);
  protected readonly metricsRetentionDays = signal<number | null>(null);
  protected readonly logRetentionDays = signal<number | null>(null);
  protected readonly crossingsRetentionDays = signal<number | null>(null);
  protected readonly model = signal<Record<string, unknown> | null>(null);
  protected readonly device = signal<Record<string, unknown> | null>(null);
  private original: Record<string, Record<string, unknown>> = {};

  // recipients
  protected readonly recipients = signal<AlertRecipient[] | null>(null);
  protected readonly recipientsError = signal<string | null>(null);
  protected readonly cameras = signal<Camera[]>([]);
  protected readonly editingRecipient = signal<(AlertRecipientInput & { id: string | null }) | null>(null);
  protected readonly recipientErrors = signal<string[]>([]);
  protected readonly deletingRecipient = signal<AlertRecipient | null>(null);

  constructor() {
    this.load();
    this.camerasApi.list().subscribe({ next: (c) => this.cameras.set(c), error: () => this.cameras.set([]) });
  }

  protected load(): void {
    this.api.all().subscribe({
      next: (all) => {
        this.original = all;
        const g = all['general'] ?? {};
        this.siteName.set(String(g['siteName'] ?? ''));
        this.timeZone.set(String(g['timeZone'] ?? 'UTC'));
        this.theme.set(String(g['theme'] ?? 'auto'));
        const a = all['alerts'] ?? {};
        this.cooldownS.set(numOrNull(a['cooldownS']));
        this.allClearS.set(numOrNull(a['allClearS']));
        if (a['sound'] && typeof a['sound'] === 'object') this.sound.set({ ...this.sound(), ...(a['sound'] as Sound) });
        const s = all['system'] ?? {};
        this.defaultTargetFps.set(numOrNull(s['defaultTargetFps']));
        const res = (s['defaultResolution'] ?? {}) as { width?: number; height?: number | null };
        this.defaultWidth.set(numOrNull(res.width));
        this.defaultHeight.set(numOrNull(res.height));
        this.metricsRetentionDays.set(numOrNull(s['metricsRetentionDays']));
        this.logRetentionDays.set(numOrNull(s['logRetentionDays']));
        this.crossingsRetentionDays.set(numOrNull(s['crossingsRetentionDays']));
        this.model.set((s['model'] as Record<string, unknown>) ?? null);
        this.device.set((s['device'] as Record<string, unknown>) ?? null);
        this.loaded.set(true);
        this.loadError.set(null);
      },
      error: (e: unknown) => this.loadError.set(toApiError(e).message),
    });
    if (this.access.isAdmin()) this.loadRecipients();
  }

  protected loadRecipients(): void {
    this.api.recipients().subscribe({
      next: (r) => (this.recipients.set(r), this.recipientsError.set(null)),
      error: (e: unknown) => this.recipientsError.set(toApiError(e).message),
    });
  }

  protected err(key: string): string | null {
    const e = this.errors()[key];
    return e?.length ? e.join('; ') : null;
  }

  /** Saves the changed keys of a category one by one; each 400 is shown on its field; stops at the first failure. */
  protected saveCategory(category: SettingsCategory, values: Record<string, unknown>): void {
    const before = this.original[category] ?? {};
    // An empty field (null) for a key the server does not hold is no change: it must not PUT null.
    const changed = Object.entries(values).filter(([k, v]) => JSON.stringify(v ?? null) !== JSON.stringify(before[k] ?? null));
    this.errors.set({});
    if (!changed.length) return this.toasts.show('Nothing changed', 'info');
    this.saving.set(true);
    concat(
      ...changed.map(([k, v]) =>
        this.api.put(category, k, v).pipe(
          tap(() => {
            this.original = { ...this.original, [category]: { ...(this.original[category] ?? {}), [k]: v } };
            // Hot: the header, theme, alarm and wizard follow at once.
            this.consoleSettings.applySaved(category, k, v);
          }),
        ),
      ),
    )
      .pipe(last())
      .subscribe({
        next: () => (this.saving.set(false), this.toasts.show('Settings saved')),
        error: (e: unknown) => {
          const err = toApiError(e);
          this.saving.set(false);
          const key = changed.find(([k]) => !(k in (this.original[category] ?? {})) || JSON.stringify(this.original[category][k]) !== JSON.stringify(values[k]))?.[0] ?? '';
          this.errors.set({ [`${category}.${key}`]: err.details.length ? [...err.details] : [err.message] });
        },
      });
  }

  protected saveGeneral(): void {
    this.saveCategory('general', { siteName: this.siteName().trim(), timeZone: this.timeZone(), theme: this.theme() });
  }

  protected saveAlerts(): void {
    this.saveCategory('alerts', { cooldownS: this.cooldownS(), allClearS: this.allClearS(), sound: this.sound() });
  }

  protected saveSystem(): void {
    this.saveCategory('system', {
      defaultTargetFps: this.defaultTargetFps(),
      defaultResolution: { width: this.defaultWidth(), height: this.defaultHeight() },
      metricsRetentionDays: this.metricsRetentionDays(),
      logRetentionDays: this.logRetentionDays(),
      crossingsRetentionDays: this.crossingsRetentionDays(),
    });
  }

  protected setSound<K extends keyof Sound>(k: K, v: Sound[K]): void {
    this.sound.update((s) => ({ ...s, [k]: v }));
  }

  protected hint(key: string): string | null {
    switch (key) {
      case 'siteName': {
        const n = this.siteName().trim().length;
        return n < 1 || n > 100 ? 'Site name: 1 to 100 characters' : null;
      }
      case 'cooldownS': {
        const v = this.cooldownS();
        return v === null || v < 10 || v > 3600 ? 'Cooldown: 10 to 3600 seconds' : null;
      }
      case 'snooze': {
        const v = this.sound().snoozeMinutes;
        return v < 5 || v > 15 ? 'Snooze: 5 to 15 minutes' : null;
      }
      case 'fps': {
        const v = this.defaultTargetFps();
        return v === null || v < 1 || v > 30 ? 'Target FPS: 1 to 30' : null;
      }
    }
    return null;
  }

  // --- recipients ----------------------------------------------------------------------------------------------

  protected newRecipient(): void {
    this.recipientErrors.set([]);
    this.editingRecipient.set({ id: null, name: '', channel: 'email', destination: '', minLevel: 'WARNING', cameraId: null, isActive: true });
  }

  protected editRecipient(r: AlertRecipient): void {
    this.recipientErrors.set([]);
    this.editingRecipient.set({ ...r });
  }

  protected patchRecipient(p: Partial<AlertRecipientInput>): void {
    this.editingRecipient.update((r) => (r ? { ...r, ...p } : r));
  }

  protected placeholderFor(c: RecipientChannel): string {
    return CHANNELS.find((x) => x.id === c)?.placeholder ?? '';
  }

  protected saveRecipient(): void {
    const r = this.editingRecipient();
    if (!r) return;
    const hints: string[] = [];
    if (!r.name.trim()) hints.push('name: required');
    if (!r.destination.trim()) hints.push('destination: required');
    if (hints.length) return this.recipientErrors.set(hints);
    const { id, ...body } = r;
    body.name = body.name.trim();
    body.destination = body.destination.trim();
    (id ? this.api.updateRecipient(id, body) : this.api.createRecipient(body)).subscribe({
      next: () => (this.editingRecipient.set(null), this.toasts.show('Recipient saved'), this.loadRecipients()),
      error: (e: unknown) => {
        const err = toApiError(e);
        this.recipientErrors.set(err.details.length ? [...err.details] : [err.message]);
      },
    });
  }

  protected removeRecipient(): void {
    const r = this.deletingRecipient();
    if (!r) return;
    this.api.deleteRecipient(r.id).subscribe({
      next: () => (this.deletingRecipient.set(null), this.toasts.show('Recipient deleted'), this.loadRecipients()),
      error: (e: unknown) => (this.deletingRecipient.set(null), this.toasts.show(toApiError(e).message, 'danger', 8000)),
    });
  }

  protected cameraName(id: string | null): string {
    return id ? (this.cameras().find((c) => c.id === id)?.name ?? id) : 'All cameras';
  }

  protected json(v: unknown): string {
    return v === null || v === undefined ? '—' : typeof v === 'object' ? Object.entries(v as object).map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join(' · ') : String(v);
  }
}

function numOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
