import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { AlertsApi, toApiError } from '@crowdsafe/web-data-access';
import type { Subscription } from 'rxjs';

/**
 * The alert's annotated snapshot (GET /api/alerts/:id/snapshot): fetched with the session's Bearer token into a
 * blob: URL (an <img src> to the API could not authenticate), revoked when replaced or destroyed. Click: full size.
 */
@Component({
  selector: 'cs-alert-snapshot',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (url(); as u) {
      <a [href]="u" target="_blank" rel="noopener" title="Open full size">
        <img [src]="u" class="img-fluid rounded border" [alt]="'Annotated frame that triggered the alert'" data-testid="alert-snapshot" />
      </a>
    } @else if (error(); as e) {
      <p class="small text-body-secondary mb-0" data-testid="alert-snapshot-missing">{{ e }}</p>
    } @else {
      <p class="small text-body-secondary mb-0">Loading the snapshot…</p>
    }
  `,
})
export class AlertSnapshotComponent {
  private readonly api = inject(AlertsApi);
  readonly alertId = input.required<string>();
  readonly hasSnapshot = input(true);
  protected readonly url = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  private sub: Subscription | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.sub?.unsubscribe();
      this.setUrl(null);
    });
    effect(() => {
      const id = this.alertId();
      const has = this.hasSnapshot();
      untracked(() => this.load(id, has));
    });
  }

  private load(id: string, has: boolean): void {
    this.sub?.unsubscribe();
    this.setUrl(null);
    this.error.set(null);
    if (!has) {
      this.error.set('No snapshot was stored for this alert.');
      return;
    }
    this.sub = this.api.snapshot(id).subscribe({
      next: (blob) => this.setUrl(URL.createObjectURL(blob)),
      error: (e: unknown) => {
        const err = toApiError(e);
        this.error.set(err.isNotFound ? 'The snapshot is no longer available (deleted by retention).' : `Snapshot unavailable: ${err.message}`);
      },
    });
  }

  private setUrl(u: string | null): void {
    const old = this.url();
    if (old) URL.revokeObjectURL(old);
    this.url.set(u);
  }
}
