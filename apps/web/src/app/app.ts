import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { LiveSocket } from '@crowdsafe/web-data-access';
import { type DotStatus, StatusDotComponent } from '@crowdsafe/web-ui';

@Component({
  selector: 'cs-root',
  imports: [RouterOutlet, StatusDotComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main">Skip to main content</a>
    <header class="navbar bg-body-tertiary border-bottom px-3 py-2">
      <a class="navbar-brand fw-bold me-auto" href="/">CrowdSafe</a>
      <div class="d-flex align-items-center" [attr.title]="live.lastError() ?? null">
        <span class="visually-hidden">Live connection:</span>
        <cs-status-dot data-testid="connection-status" [status]="connection().dot" [label]="connection().label" />
      </div>
    </header>
    <main id="main" class="container-xxl py-3" tabindex="-1">
      <router-outlet />
    </main>
  `,
})
export class App {
  protected readonly live = inject(LiveSocket);

  protected readonly connection = computed((): { dot: DotStatus; label: string } => {
    switch (this.live.state()) {
      case 'connected':
        return { dot: 'online', label: 'Live' };
      case 'connecting':
      case 'idle':
        return { dot: 'connecting', label: 'Connecting…' };
      case 'reconnecting':
        return { dot: 'error', label: 'Reconnecting…' };
      case 'disconnected':
        return { dot: 'offline', label: 'Offline' };
    }
  });

  constructor() {
    this.live.connect();
  }
}
