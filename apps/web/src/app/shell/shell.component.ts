import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { UserRole } from '@crowdsafe/contracts';
import { AlertsStore, AuthService, LiveSocket } from '@crowdsafe/web-data-access';
import { type DotStatus, RiskBadgeComponent, StatusDotComponent } from '@crowdsafe/web-ui';
import { filter } from 'rxjs';
import { AlarmBannerComponent } from '../alarms/alarm-banner.component';
import { AlarmService } from '../alarms/alarm.service';
import { CameraDirectory } from '../live/camera-directory.service';
import { ThemeService } from './theme.service';

interface NavItem {
  path: string;
  label: string;
  /** Shown only to these roles (the route's guard refuses the others too). */
  roles?: readonly UserRole[];
  exact?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Dashboard', exact: true },
  { path: '/analytics', label: 'Analytics' },
  { path: '/cameras', label: 'Cameras' },
  { path: '/reports', label: 'Reports' },
  { path: '/settings', label: 'Settings' },
  { path: '/users', label: 'Users', roles: ['admin'] },
  { path: '/system', label: 'System', roles: ['admin'] },
];

/** Header (title, clock, global alert level, live connection, theme, user menu), navigation, alarm strip. */
@Component({
  selector: 'cs-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, DatePipe, StatusDotComponent, RiskBadgeComponent, AlarmBannerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
})
export class ShellComponent {
  protected readonly auth = inject(AuthService);
  protected readonly live = inject(LiveSocket);
  protected readonly alerts = inject(AlertsStore);
  protected readonly theme = inject(ThemeService);
  private readonly router = inject(Router);

  protected readonly now = signal(Date.now());
  protected readonly menuOpen = signal(false);
  protected readonly navOpen = signal(false);

  protected readonly nav = computed(() => {
    const role = this.auth.role();
    return NAV_ITEMS.filter((i) => !i.roles || (role !== null && i.roles.includes(role)));
  });

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
    const destroyRef = inject(DestroyRef);
    inject(CameraDirectory).ensureLoaded();
    this.live.connect();
    this.alerts.start();
    inject(AlarmService).start(destroyRef);
    const clock = setInterval(() => this.now.set(Date.now()), 1000);
    destroyRef.onDestroy(() => clearInterval(clock));
    const sub = this.router.events.pipe(filter((e) => e instanceof NavigationEnd)).subscribe(() => {
      this.menuOpen.set(false);
      this.navOpen.set(false);
    });
    destroyRef.onDestroy(() => sub.unsubscribe());
  }

  protected logout(): void {
    this.menuOpen.set(false);
    this.auth.logout().subscribe();
  }

  protected onMenuKey(ev: KeyboardEvent): void {
    if (ev.key === 'Escape') this.menuOpen.set(false);
  }
}
