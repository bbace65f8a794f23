import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { type Camera, CamerasApi, AuthService, LiveSocket, type Report, type ReportRequest, ReportsApi, toApiError } from '@crowdsafe/web-data-access';

const POLL_MS = 2000;

/** Reports (spec 5.3): queue a daily / weekly / incident / custom report in PDF or Excel, follow its progress, download it. */
@Component({
  selector: 'cs-reports-page',
  imports: [FormsModule, DatePipe, DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './reports.page.html',
})
export class ReportsPage {
  private readonly api = inject(ReportsApi);
  private readonly auth = inject(AuthService);

  protected readonly canCreate = this.auth.canOperate;
  protected readonly cameras = signal<Camera[]>([]);
  protected readonly reports = signal<Report[] | null>(null);
  protected readonly total = signal(0);
  protected readonly error = signal<string | null>(null);
  protected readonly submitting = signal(false);

  protected readonly type = signal<'daily' | 'weekly' | 'incident' | 'custom'>('daily');
  protected readonly format = signal<'pdf' | 'xlsx'>('pdf');
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly alertId = signal('');
  protected readonly selected = signal<Set<string>>(new Set());
  protected readonly running = computed(() => (this.reports() ?? []).some((r) => r.status === 'queued' || r.status === 'running'));

  constructor() {
    inject(CamerasApi).list().subscribe({ next: (c) => this.cameras.set(c), error: () => undefined });
    this.load();
    const live = inject(LiveSocket);
    live.connect();
    // Progress from the socket; a poll while something runs covers a job running on another api replica.
    live.reportProgress$.pipe(takeUntilDestroyed()).subscribe((e) => {
      const list = this.reports();
      if (!list?.some((r) => r.id === e.id)) return void this.load();
      this.reports.set(list.map((r) => (r.id === e.id ? { ...r, status: e.status, progress: e.progress, error: e.error ?? r.error } : r)));
      if (e.status === 'done' || e.status === 'failed') this.load();
    });
    const t = setInterval(() => this.running() && this.load(), POLL_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(t));
  }

  protected load(): void {
    this.api.list(50, 0).subscribe({
      next: (p) => (this.reports.set(p.items), this.total.set(p.total)),
      error: (e: unknown) => this.error.set(toApiError(e).message),
    });
  }

  protected toggle(id: string, on: boolean): void {
    const s = new Set(this.selected());
    if (on) s.add(id);
    else s.delete(id);
    this.selected.set(s);
  }

  protected submit(): void {
    const iso = (v: string) => (v ? new Date(v).toISOString() : undefined);
    const t = this.type();
    const req: ReportRequest = { type: t, format: this.format() };
    if (t !== 'incident' && this.selected().size) req.cameraIds = [...this.selected()];
    if (t === 'custom' || t === 'daily' || t === 'weekly') {
      const f = iso(this.from());
      if (f) req.from = f;
    }
    if (t === 'custom') {
      const to = iso(this.to());
      if (to) req.to = to;
    }
    if (t === 'incident') req.alertId = this.alertId().trim();
    this.error.set(null);
    this.submitting.set(true);
    this.api.create(req).subscribe({
      next: (r) => {
        this.submitting.set(false);
        this.reports.set([r, ...(this.reports() ?? [])]);
      },
      error: (e: unknown) => {
        this.submitting.set(false);
        const err = toApiError(e);
        this.error.set(err.details.length ? err.details.join('; ') : err.message);
      },
    });
  }

  protected download(r: Report): void {
    this.api.download(r).subscribe({
      next: (blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `${r.title.replace(/[^A-Za-z0-9 ._-]+/g, '').replace(/\s+/g, '-') || 'report'}.${r.format}`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      error: (e: unknown) => this.error.set(toApiError(e).message),
    });
  }

  protected size(b: number | null): string {
    if (b === null) return '—';
    return b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(b / 1024))} kB`;
  }
}
