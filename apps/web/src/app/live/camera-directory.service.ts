import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { type Camera, CamerasApi, toApiError } from '@crowdsafe/web-data-access';
import { type Subscription, retry, timer } from 'rxjs';

/** The camera list shared by the dashboard, the camera view and the alarm banner (names for alert camera ids). */
@Injectable({ providedIn: 'root' })
export class CameraDirectory {
  private readonly api = inject(CamerasApi);
  private readonly _cameras = signal<Camera[] | null>(null);
  private readonly _error = signal<string | null>(null);
  private sub: Subscription | null = null;

  /** null until the first load. */
  readonly cameras = this._cameras.asReadonly();
  readonly error = this._error.asReadonly();
  readonly byId = computed(() => new Map((this._cameras() ?? []).map((c) => [c.id, c] as const)));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
  }

  /** Loads (or reloads) the list, retrying with backoff until it succeeds. */
  load(): void {
    this.sub?.unsubscribe();
    this.sub = this.api
      .list()
      .pipe(
        retry({
          delay: (err: unknown, attempt: number) => {
            this._error.set(toApiError(err).message);
            return timer(Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
          },
        }),
      )
      .subscribe((list) => {
        this._error.set(null);
        this._cameras.set(list);
      });
  }

  ensureLoaded(): void {
    if (!this.sub) this.load();
  }

  private lastReloadAt = 0;

  /** Reloads the list (at most every 10 s) when an id shows up that it does not know, e.g. a camera just added. */
  ensureKnown(id: string): void {
    if (this.byId().has(id) || Date.now() - this.lastReloadAt < 10_000) return;
    this.lastReloadAt = Date.now();
    this.load();
  }

  nameOf(id: string): string {
    return this.byId().get(id)?.name ?? `camera ${id.slice(0, 8)}`;
  }
}
