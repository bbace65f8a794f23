import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ToastService } from './toast.service';

/** Renders `ToastService` messages in a polite live region. */
@Component({
  selector: 'cs-toasts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="toast-container position-fixed bottom-0 end-0 p-3" role="status" aria-live="polite">
      @for (t of toasts.toasts(); track t.id) {
        <div class="toast show align-items-center border-0" [class]="'toast show align-items-center border-0 text-bg-' + t.kind">
          <div class="d-flex">
            <div class="toast-body">{{ t.text }}</div>
            <button type="button" class="btn-close btn-close-white me-2 m-auto" aria-label="Dismiss" (click)="toasts.dismiss(t.id)"></button>
          </div>
        </div>
      }
    </div>
  `,
})
export class ToastsComponent {
  protected readonly toasts = inject(ToastService);
}
