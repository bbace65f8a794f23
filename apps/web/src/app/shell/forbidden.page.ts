import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from '@crowdsafe/web-data-access';

@Component({
  selector: 'cs-forbidden-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="alert alert-warning" role="alert" data-testid="forbidden">
      <h1 class="h4">Not allowed</h1>
      <p class="mb-2">
        Your role ({{ auth.role() ?? 'none' }}) cannot open
        <code>{{ from() ?? 'this page' }}</code>. Ask an administrator if you need access.
      </p>
      <a routerLink="/" class="alert-link">Back to the dashboard</a>
    </div>
  `,
})
export class ForbiddenPage {
  protected readonly auth = inject(AuthService);
  /** `?from=` (the refused URL). */
  readonly from = input<string | undefined>();
}
