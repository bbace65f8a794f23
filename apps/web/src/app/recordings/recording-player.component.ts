import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, effect, inject, input, output, signal, viewChild } from '@angular/core';
import videojs from 'video.js';

type Player = ReturnType<typeof videojs>;

/** A marker on the player's timeline (e.g. an alert), in seconds from the clip's start. */
export interface TimelineMarker {
  atS: number;
  label: string;
  level: string;
}

const CSS_ID = 'cs-videojs-css';

/** video.js's stylesheet, served from /vendor (copied at build), added once when the first player is shown. */
function ensureCss(doc: Document): void {
  if (doc.getElementById(CSS_ID)) return;
  const link = doc.createElement('link');
  link.id = CSS_ID;
  link.rel = 'stylesheet';
  link.href = 'vendor/video-js.min.css';
  doc.head.appendChild(link);
}

/**
 * A recording in video.js (HTML5 MP4 with HTTP Range: seeking, playback rates, full screen) and a timeline of
 * markers under it (alerts during the clip); clicking a marker seeks there. The <video> is created here, outside
 * Angular's template, because video.js rewrites its DOM.
 */
@Component({
  selector: 'cs-recording-player',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div #host class="recording-player bg-black" style="aspect-ratio: 16 / 9; max-height: 70vh" data-testid="recording-player"></div>
    @if (markers().length && durationS() > 0) {
      <div class="position-relative mt-1 bg-body-secondary rounded" style="height: 14px" data-testid="alert-timeline" aria-label="Alerts during the clip">
        @for (m of markers(); track $index) {
          <button type="button" class="position-absolute top-0 h-100 border-0 p-0" [title]="m.label"
                  [attr.aria-label]="m.label + ' at ' + m.atS.toFixed(0) + ' s'"
                  [style.left.%]="(100 * m.atS) / durationS()" style="width: 4px"
                  [class.bg-danger]="m.level === 'CRITICAL'" [class.bg-warning]="m.level !== 'CRITICAL'"
                  data-testid="alert-marker" (click)="seek(m.atS)"></button>
        }
      </div>
    }
    <div class="small text-body-secondary mt-1" data-testid="player-time">{{ currentS().toFixed(1) }} s / {{ durationS().toFixed(1) }} s</div>
  `,
})
export class RecordingPlayerComponent {
  /** The MP4 URL (with its ticket). */
  readonly src = input.required<string>();
  readonly poster = input<string | null>(null);
  readonly markers = input<TimelineMarker[]>([]);
  readonly autoplay = input(false);
  /** 'video/mp4' (a recording) or 'application/x-mpegURL' (live HLS, played by video.js's VHS). */
  readonly type = input('video/mp4');
  /**
   * Live low-latency playback (live HLS): video.js liveui, start at the live edge, then hold the play position close
   * to the newest downloaded frame (VHS starts 3 target durations behind the playlist's end; playing 1.15x while more
   * than CATCH_UP_S is buffered ahead, back to 1x under SETTLE_S, a jump when far behind).
   */
  readonly lowLatency = input(false);
  readonly ended = output<void>();

  protected readonly currentS = signal(0);
  protected readonly durationS = signal(0);
  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private readonly doc = inject(DOCUMENT);
  private player: Player | null = null;
  private catchUp: ReturnType<typeof setInterval> | null = null;

  constructor() {
    ensureCss(this.doc);
    effect(() => {
      const src = this.src();
      const poster = this.poster();
      const player = this.ensurePlayer();
      if (poster) player.poster(poster);
      player.src({ src, type: this.type() });
      if (this.autoplay()) void player.play()?.catch(() => undefined);
    });
    inject(DestroyRef).onDestroy(() => {
      if (this.catchUp) clearInterval(this.catchUp);
      this.player?.dispose();
      this.player = null;
    });
  }

  seek(s: number): void {
    this.player?.currentTime(s);
  }

  private ensurePlayer(): Player {
    if (this.player) return this.player;
    // No <style> element injected by video.js (the console's CSP allows none): the host sets the size, the player fills it.
    const win = this.doc.defaultView as (Window & { VIDEOJS_NO_DYNAMIC_STYLE?: boolean }) | null;
    if (win) win.VIDEOJS_NO_DYNAMIC_STYLE = true;
    const video = this.doc.createElement('video');
    video.className = 'video-js vjs-fill vjs-big-play-centered';
    video.setAttribute('playsinline', '');
    video.setAttribute('data-testid', 'recording-video');
    this.host().nativeElement.appendChild(video);
    const live = this.lowLatency();
    const player = videojs(video, {
      controls: true,
      preload: 'auto',
      playbackRates: [0.5, 1, 2, 4],
      fill: true,
      ...(live ? { liveui: true, liveTracker: { trackingThreshold: 0, liveTolerance: 2 }, html5: { vhs: { overrideNative: true, limitRenditionByPlayerDimensions: false } } } : {}),
    });
    if (live) {
      player.one('playing', () => (player as Player & { liveTracker?: { seekToLiveEdge(): void } }).liveTracker?.seekToLiveEdge());
      this.catchUp = setInterval(() => holdNearLiveEdge(player), 500);
    }
    player.on('timeupdate', () => this.currentS.set(Number(player.currentTime() ?? 0)));
    player.on('loadedmetadata', () => this.durationS.set(Number(player.duration() ?? 0)));
    player.on('ended', () => this.ended.emit());
    this.player = player;
    return player;
  }
}

/** Seconds buffered ahead of the play position above which a live player speeds up, and under which it plays at 1x. */
const CATCH_UP_S = 1.8;
const SETTLE_S = 1;
/** Further behind than this: jump (to SETTLE_S before the newest buffered frame). */
const JUMP_S = 6;

/** Keeps a live HLS player near the newest downloaded frame (glass-to-glass < 3 s with 1 s segments). */
function holdNearLiveEdge(player: Player): void {
  if (player.paused() || player.isDisposed()) return;
  const buffered = player.buffered();
  if (!buffered || buffered.length === 0) return;
  const now = Number(player.currentTime() ?? 0);
  const end = buffered.end(buffered.length - 1);
  const ahead = end - now;
  if (ahead > JUMP_S) {
    player.currentTime(end - SETTLE_S);
    player.playbackRate(1);
  } else if (ahead > CATCH_UP_S && player.playbackRate() === 1) player.playbackRate(1.15);
  else if (ahead < SETTLE_S && player.playbackRate() !== 1) player.playbackRate(1);
}
