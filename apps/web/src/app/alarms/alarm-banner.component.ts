import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AlertView } from '@crowdsafe/contracts';
import { AlertsStore, AuthService, levelRank, toApiError } from '@crowdsafe/web-data-access';
import { RiskBadgeComponent } from '@crowdsafe/web-ui';
import { CameraDirectory } from '../live/camera-directory.service';
import { AlarmService, SNOOZE_MINUTES } from './alarm.service';

/**
 * The alarm strip under the header: the most severe unacknowledged alert (level, camera, message, acknowledge),
 * how many more are waiting, and the sound controls (enable after a gesture, volume, snooze). Its
 * `data-testid="alarm-audio"` element carries `data-state` (locked|ready|playing) and `data-tones` (tones started).
 */
@Component({
  selector: 'cs-alarm-banner',
  imports: [RiskBadgeComponent, RouterLink, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alarm-banner.component.html',
  styleUrl: './alarm-banner.component.scss',
})
export class AlarmBannerComponent {
  protected readonly store = inject(AlertsStore);
  protected readonly alarm = inject(AlarmService);
  protected readonly auth = inject(AuthService);
  protected readonly cameras = inject(CameraDirectory);
  protected readonly snoozeChoices = SNOOZE_MINUTES;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  /** Most severe, then newest, unacknowledged alert. */
  protected readonly top = computed((): AlertView | null => {
    const list = this.store.unacknowledged();
    if (list.length === 0) return null;
    let best = list[0];
    for (const a of list) if (levelRank(a.level) > levelRank(best.level)) best = a;
    return best;
  });

  protected readonly showSoundHint = computed(() => this.alarm.audioState() === 'locked');

  protected acknowledge(id: string): void {
    this.busy.set(true);
    this.error.set(null);
    this.store.acknowledge(id).subscribe({
      next: () => this.busy.set(false),
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set(toApiError(err).message);
      },
    });
  }

  protected onVolume(ev: Event): void {
    this.alarm.setVolume(Number((ev.target as HTMLInputElement).value) / 100);
  }

  protected onSnooze(ev: Event): void {
    const el = ev.target as HTMLSelectElement;
    const v = Number(el.value);
    if (v > 0) this.alarm.snooze(v);
    el.value = '';
  }
}
