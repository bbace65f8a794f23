import { Injectable, signal } from '@angular/core';

export interface Toast {
  id: number;
  kind: 'success' | 'danger' | 'info' | 'warning';
  text: string;
}

/** Short-lived status messages (announced politely to screen readers by `cs-toasts`). */
@Injectable({ providedIn: 'root' })
export class ToastService {
  private seq = 0;
  private readonly _toasts = signal<Toast[]>([]);
  readonly toasts = this._toasts.asReadonly();

  show(text: string, kind: Toast['kind'] = 'success', ttlMs = 5000): void {
    const id = ++this.seq;
    this._toasts.update((t) => [...t.slice(-4), { id, kind, text }]);
    setTimeout(() => this.dismiss(id), ttlMs);
  }

  dismiss(id: number): void {
    this._toasts.update((t) => t.filter((x) => x.id !== id));
  }
}
