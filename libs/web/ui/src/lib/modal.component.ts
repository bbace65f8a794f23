import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  afterNextRender,
  inject,
  Injector,
  input,
  output,
  viewChild,
} from '@angular/core';

let nextId = 0;

/**
 * A Bootstrap-styled modal dialog rendered by Angular (no Bootstrap JS): role="dialog", aria-modal, labelled by its
 * title, Escape and the backdrop close it, focus moves into it when it opens. Render it with `@if (open) { ... }`.
 */
@Component({
  selector: 'cs-modal',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown.escape)': 'dismiss()' },
  template: `
    <div class="modal-backdrop fade show" (click)="dismiss()" aria-hidden="true"></div>
    <div class="modal fade show d-block" tabindex="-1" (click)="onOuterClick($event)">
      <div class="modal-dialog modal-dialog-scrollable" [class]="'modal-dialog modal-dialog-scrollable ' + sizeClass()">
        <div
          #dialog
          class="modal-content"
          role="dialog"
          aria-modal="true"
          [attr.aria-labelledby]="titleId"
          [attr.data-testid]="testId()"
          tabindex="-1"
        >
          <div class="modal-header">
            <h2 class="modal-title fs-5" [id]="titleId">{{ title() }}</h2>
            <button type="button" class="btn-close" aria-label="Close" (click)="dismiss()"></button>
          </div>
          <div class="modal-body"><ng-content /></div>
          <div class="modal-footer"><ng-content select="[modal-footer]" /></div>
        </div>
      </div>
    </div>
  `,
})
export class ModalComponent {
  readonly title = input.required<string>();
  readonly size = input<'sm' | 'md' | 'lg' | 'xl'>('md');
  readonly testId = input<string | null>(null);
  readonly closed = output<void>();
  protected readonly titleId = `cs-modal-title-${++nextId}`;
  private readonly dialog = viewChild.required<ElementRef<HTMLElement>>('dialog');

  protected sizeClass(): string {
    return this.size() === 'md' ? '' : `modal-${this.size()}`;
  }

  constructor() {
    const injector = inject(Injector);
    afterNextRender(
      () => {
        const el = this.dialog().nativeElement;
        const first = el.querySelector<HTMLElement>('[autofocus], .modal-body input, .modal-body select, .modal-body textarea');
        (first ?? el).focus();
      },
      { injector },
    );
  }

  protected onOuterClick(e: MouseEvent): void {
    if (e.target === e.currentTarget) this.dismiss();
  }

  dismiss(): void {
    this.closed.emit();
  }
}
