import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { type LogEntry, SystemApi, type SystemHealth, toApiError } from '@crowdsafe/web-data-access';
import { formatAge } from '@crowdsafe/web-ui';
import { LiveVideoStatsComponent } from '../recordings/live-video-stats.component';

const REFRESH_MS = 5000;
const PAGE = 100;

@Component({
  selector: 'cs-system-page',
  imports: [FormsModule, DatePipe, DecimalPipe, LiveVideoStatsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './system.page.html',
  styles: [`
    .metric { font-size: 1.5rem; font-weight: 600; }
    .stale { color: var(--bs-warning-text-emphasis); font-weight: 600; }
    .log-msg { white-space: pre-wrap; word-break: break-word; }
  `],
})
export class SystemPage {
  private readonly api = inject(SystemApi);

  protected readonly health = signal<SystemHealth | null>(null);
  protected readonly healthError = signal<string | null>(null);
  protected readonly healthAt = signal<number | null>(null);
  protected readonly stats = signal<Record<string, unknown> | null>(null);
  protected readonly now = signal(Date.now());

  protected readonly level = signal('');
  protected readonly category = signal('');
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly text = signal('');
  protected readonly logs = signal<LogEntry[] | null>(null);
  protected readonly logsTotal = signal<number | null>(null);
  protected readonly logsError = signal<string | null>(null);
  protected readonly offset = signal(0);
  protected readonly levels = ['debug', 'info', 'warn', 'error'];
  protected readonly categories = ['audit', 'auth', 'system', 'camera', 'alert'];

  constructor() {
    this.refresh();
    this.loadLogs();
    const t = setInterval(() => this.refresh(), REFRESH_MS);
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => (clearInterval(t), clearInterval(tick)));
  }

  protected refresh(): void {
    this.api.health().subscribe({
      next: (h) => (this.health.set(h), this.healthAt.set(Date.now()), this.healthError.set(null)),
      error: (e: unknown) => this.healthError.set(toApiError(e).message),
    });
    this.api.stats().subscribe({ next: (s) => this.stats.set(s), error: () => undefined });
  }

  protected loadLogs(offset = 0): void {
    const iso = (v: string): string | undefined => (v ? new Date(v).toISOString() : undefined);
    this.offset.set(offset);
    this.logsError.set(null);
    this.api
      .logs({ level: this.level() || undefined, category: this.category() || undefined, from: iso(this.from()), to: iso(this.to()), search: this.text().trim() || undefined, limit: PAGE, offset })
      .subscribe({
        next: (r) => (this.logs.set(r.items), this.logsTotal.set(r.total)),
        error: (e: unknown) => {
          const err = toApiError(e);
          this.logsError.set(err.details.length ? err.details.join('; ') : err.message);
        },
      });
  }

  protected clearFilters(): void {
    this.level.set('');
    this.category.set('');
    this.from.set('');
    this.to.set('');
    this.text.set('');
    this.loadLogs();
  }

  protected page(dir: 1 | -1): void {
    this.loadLogs(Math.max(0, this.offset() + dir * PAGE));
  }

  protected hasMore(): boolean {
    const total = this.logsTotal();
    return total !== null ? this.offset() + PAGE < total : (this.logs()?.length ?? 0) === PAGE;
  }

  protected age(): string {
    const t = this.healthAt();
    return t === null ? '—' : formatAge(this.now() - t);
  }

  protected stale(): boolean {
    const t = this.healthAt();
    return t === null || this.now() - t > REFRESH_MS * 3;
  }

  protected bytes(v: number | null): string {
    if (v === null) return '—';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
  }

  protected uptime(s: number | null): string {
    if (s === null) return '—';
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min ${Math.floor(s % 60)} s`;
  }

  protected statCameras(): { cameraId: string; name: string; status: string; fpsIn: number; fpsOut: number; framesDropped: number; framesProcessed: number }[] {
    const c = this.stats()?.['cameras'];
    return Array.isArray(c) ? (c as ReturnType<SystemPage['statCameras']>) : [];
  }

  protected statNum(path: string[]): number | null {
    let v: unknown = this.stats();
    for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    return typeof v === 'number' ? v : null;
  }

  protected levelClass(l: string): string {
    return l === 'error' ? 'text-bg-danger' : l === 'warn' ? 'text-bg-warning' : l === 'debug' ? 'text-bg-light' : 'text-bg-secondary';
  }
}
