import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { UserRole } from '@crowdsafe/contracts';
import { Title } from '@angular/platform-browser';
import { AlertsStore, AuthService, ConsoleSettingsStore, LiveSocket } from '@crowdsafe/web-data-access';
import { type DotStatus, RiskBadgeComponent, StatusDotComponent } from '@crowdsafe/web-ui';
import { filter } from 'rxjs';
import { AlarmBannerComponent } from '../alarms/alarm-banner.component';
import { AlarmService } from '../alarms/alarm.service';
import { CameraDirectory } from '../live/camera-directory.service';
import { PushService } from '../push/push.service';
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
  { path: '/alerts', label: 'Incidents' },
  { path: '/analytics', label: 'Analytics' },
  { path: '/recordings', label: 'Recordings' },
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
  protected readonly settings = inject(ConsoleSettingsStore);
  private readonly router = inject(Router);

  protected readonly now = signal(Date.now());
  protected readonly menuOpen = signal(false);
  protected readonly navOpen = signal(false);
  /** The header clock in the site's time zone (`general.timeZone`). */
  private readonly clockFormat = computed(() => siteClockFormat(this.settings.timeZone()));
  protected readonly clock = computed(() => this.clockFormat().format(this.now()));
  protected readonly zoneLabel = computed(() => zoneName(this.settings.timeZone(), this.now()));

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
    this.settings.start();
    // Answers the push worker's snapshot requests and "open" hints while a console tab is open.
    void inject(PushService).refresh();
    const title = inject(Title);
    effect(() => title.setTitle(this.settings.siteName()));
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

/** HH:mm:ss in `timeZone` (the browser's zone if it is not a valid IANA name). */
export function siteClockFormat(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  } catch {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }
}

/** The zone's short name at `at`, e.g. "BST", "GMT+1", "UTC". */
export function zoneName(timeZone: string, at: number): string {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  } catch {
    return '';
  }
}
