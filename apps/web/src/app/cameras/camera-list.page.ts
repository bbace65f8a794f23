import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { type BulkResult, type Camera, CamerasApi, LiveSocket, toApiError } from '@crowdsafe/web-data-access';
import { type DotStatus, ModalComponent, StatusDotComponent, ToastService, ToastsComponent, formatAge } from '@crowdsafe/web-ui';
import { type Observable, switchMap } from 'rxjs';
import { injectAccess } from './access';
import { CameraEditModalComponent } from './camera-edit-modal.component';

type SortKey = 'name' | 'location' | 'sourceType' | 'status' | 'count' | 'fps';
type BulkAction = 'activate' | 'deactivate' | 'delete';

const STATUS_ORDER: Record<string, number> = { error: 0, offline: 1, connecting: 2, online: 3 };
const REFRESH_MS = 5000;

@Component({
  selector: 'cs-camera-list-page',
  imports: [DecimalPipe, FormsModule, RouterLink, StatusDotComponent, ModalComponent, ToastsComponent, CameraEditModalComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './camera-list.page.html',
  styles: [`
    .table td, .table th { vertical-align: middle; }
    .sort-btn { background: none; border: 0; padding: 0; font-weight: 600; color: inherit; }
    .stale { color: var(--bs-warning-text-emphasis); font-weight: 600; }
    .actions .btn { min-width: 2.75rem; min-height: 2.25rem; }
  `],
})
export class CameraListPage {
  private readonly api = inject(CamerasApi);
  private readonly live = inject(LiveSocket);
  private readonly toasts = inject(ToastService);
  protected readonly access = injectAccess();

  protected readonly cameras = signal<Camera[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly loadedAt = signal<number | null>(null);
  protected readonly now = signal(Date.now());
  protected readonly search = signal('');
  protected readonly sortKey = signal<SortKey>('name');
  protected readonly sortDir = signal<1 | -1>(1);
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly confirm = signal<{ action: BulkAction; ids: string[] } | null>(null);
  protected readonly busy = signal(false);
  protected readonly editing = signal<string | null>(null);

  protected readonly rows = computed(() => {
    const q = this.search().trim().toLowerCase();
    const statuses = this.live.statuses();
    const metrics = this.live.metrics();
    const list = (this.cameras() ?? []).map((c) => {
      const st = statuses[c.id];
      const m = metrics[c.id];
      const status: DotStatus = st && st.receivedAt > (this.loadedAt() ?? 0) ? st.event.status : c.status;
      return { ...c, liveStatus: status, liveCount: m?.event.count ?? c.currentCount, countAt: m?.receivedAt ?? this.loadedAt() };
    });
    const filtered = q
      ? list.filter((c) => [c.name, c.location ?? '', c.sourceType, c.liveStatus].some((v) => v.toLowerCase().includes(q)))
      : list;
    const key = this.sortKey();
    const dir = this.sortDir();
    const val = (c: (typeof list)[number]): string | number => {
      switch (key) {
        case 'name': return c.name.toLowerCase();
        case 'location': return (c.location ?? '').toLowerCase();
        case 'sourceType': return c.sourceType;
        case 'status': return STATUS_ORDER[c.liveStatus] ?? 9;
        case 'count': return c.liveCount ?? -1;
        case 'fps': return c.health?.fpsIn ?? -1;
      }
    };
    return [...filtered].sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      return (va < vb ? -1 : va > vb ? 1 : 0) * dir;
    });
  });

  protected readonly allSelected = computed(() => {
    const r = this.rows();
    return r.length > 0 && r.every((c) => this.selected().has(c.id));
  });
  protected readonly selectedCount = computed(() => this.selected().size);
  protected readonly selectedIds = computed(() => [...this.selected()]);

  constructor() {
    this.reload();
    const refresh = setInterval(() => this.reload(true), REFRESH_MS);
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(refresh);
      clearInterval(tick);
      this.releases.forEach((r) => r());
    });
  }

  private releases = new Map<string, () => void>();

  reload(quiet = false): void {
    this.api.list().subscribe({
      next: (list) => {
        this.cameras.set(list);
        this.loadedAt.set(Date.now());
        this.loadError.set(null);
        const ids = new Set(list.map((c) => c.id));
        for (const c of list) if (!this.releases.has(c.id)) this.releases.set(c.id, this.live.subscribe(c.id));
        for (const [id, rel] of this.releases) {
          if (ids.has(id)) continue;
          rel();
          this.releases.delete(id);
        }
        this.selected.update((s) => new Set([...s].filter((id) => ids.has(id))));
      },
      error: (e: unknown) => {
        if (!quiet || !this.cameras()) this.loadError.set(toApiError(e).message);
      },
    });
  }

  protected sortBy(key: SortKey): void {
    if (this.sortKey() === key) this.sortDir.update((d) => (d === 1 ? -1 : 1));
    else {
      this.sortKey.set(key);
      this.sortDir.set(1);
    }
  }

  protected ariaSort(key: SortKey): 'ascending' | 'descending' | 'none' {
    return this.sortKey() !== key ? 'none' : this.sortDir() === 1 ? 'ascending' : 'descending';
  }

  protected toggle(id: string, on: boolean): void {
    this.selected.update((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  }

  protected toggleAll(on: boolean): void {
    this.selected.set(on ? new Set(this.rows().map((c) => c.id)) : new Set());
  }

  protected ask(action: BulkAction, ids: string[]): void {
    if (ids.length) this.confirm.set({ action, ids });
  }

  protected namesOf(ids: string[]): string {
    const byId = new Map((this.cameras() ?? []).map((c) => [c.id, c.name]));
    const names = ids.map((id) => byId.get(id) ?? id);
    return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  }

  protected runConfirmed(): void {
    const c = this.confirm();
    if (!c) return;
    this.busy.set(true);
    const op: Observable<BulkResult | void> = c.ids.length === 1 && c.action === 'delete' ? this.api.delete(c.ids[0]) : this.api.bulk(c.action, c.ids);
    op.subscribe({
      next: (r) => {
        this.busy.set(false);
        this.confirm.set(null);
        const failed = r ? r.failed : [];
        const verb = { activate: 'activated', deactivate: 'deactivated', delete: 'deleted' }[c.action];
        this.toasts.show(failed.length ? `${c.ids.length - failed.length} ${verb}; ${failed.length} failed: ${failed[0].message}` : `${c.ids.length} camera(s) ${verb}`, failed.length ? 'warning' : 'success');
        this.selected.set(new Set());
        this.reload();
      },
      error: (e: unknown) => {
        this.busy.set(false);
        this.toasts.show(toApiError(e).message, 'danger', 8000);
      },
    });
  }

  protected startStop(c: Camera, start: boolean): void {
    (start ? this.api.start(c.id) : this.api.stop(c.id)).subscribe({
      next: () => (this.toasts.show(`${c.name} ${start ? 'started' : 'stopped'}`), this.reload()),
      error: (e: unknown) => this.toasts.show(toApiError(e).message, 'danger', 8000),
    });
  }

  protected clone(c: Camera): void {
    const names = new Set((this.cameras() ?? []).map((x) => x.name));
    let n = 2;
    while (names.has(`${c.name} (${n})`)) n++;
    this.api
      .detail(c.id)
      .pipe(switchMap((d) => this.api.clone(c.id, { name: `${c.name} (${n})`.slice(0, 128), sourceType: d.sourceType, sourceUrl: d.sourceUrl, location: d.location })))
      .subscribe({
      next: (copy) => (this.toasts.show(`Cloned as ${copy.name} (inactive: edit its source, then start it)`), this.reload()),
      error: (e: unknown) => this.toasts.show(toApiError(e).message, 'danger', 8000),
    });
  }

  protected onEdited(saved: boolean): void {
    this.editing.set(null);
    if (!saved) return;
    this.toasts.show('Camera saved');
    this.reload();
  }

  protected age(at: number | null): string {
    return at === null ? '—' : formatAge(this.now() - at);
  }

  protected isStale(at: number | null): boolean {
    return at === null || this.now() - at > 5000;
  }
}
