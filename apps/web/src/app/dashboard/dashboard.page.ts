import { CdkDrag, type CdkDragDrop, CdkDropList, moveItemInArray } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { RiskLevel } from '@crowdsafe/contracts';
import { AlertsStore, type Camera, LiveSocket } from '@crowdsafe/web-data-access';
import type { DotStatus } from '@crowdsafe/web-ui';
import { provideCharts } from 'ng2-charts';
import { CategoryScale, Filler, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import { CameraDirectory } from '../live/camera-directory.service';
import { AlertPanelComponent } from './alert-panel.component';
import { CameraTileComponent } from './camera-tile.component';
import {
  GRID_SIZES,
  type GridSize,
  applyOrder,
  loadGridSize,
  loadOrder,
  loadSelected,
  saveGridSize,
  saveOrder,
  saveSelected,
} from './dashboard-prefs';
import { MetricsSidebarComponent } from './metrics-sidebar.component';

const CLOCK_TICK_MS = 250;
/** Horizontal swipe distance that changes camera on phones. */
const SWIPE_PX = 50;

@Component({
  selector: 'cs-dashboard-page',
  imports: [CdkDropList, CdkDrag, CameraTileComponent, MetricsSidebarComponent, AlertPanelComponent],
  providers: [provideCharts({ registerables: [LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip] })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dashboard.page.html',
  styleUrl: './dashboard.page.scss',
})
export class DashboardPage {
  protected readonly live = inject(LiveSocket);
  protected readonly directory = inject(CameraDirectory);
  private readonly alerts = inject(AlertsStore);
  private readonly router = inject(Router);

  protected readonly gridSizes = GRID_SIZES;
  protected readonly gridSize = signal<GridSize>(loadGridSize());
  private readonly order = signal<string[]>(loadOrder());
  private readonly selectedId = signal<string | null>(loadSelected());
  protected readonly page = signal(0);
  protected readonly now = signal(Date.now());
  protected readonly phone = signal(false);

  protected readonly cameras = computed(() => applyOrder(this.directory.cameras() ?? [], this.order()));
  protected readonly pageSize = computed(() => this.gridSize() * this.gridSize());
  protected readonly pageCount = computed(() => Math.max(1, Math.ceil(this.cameras().length / this.pageSize())));
  protected readonly selected = computed((): Camera | null => {
    const list = this.cameras();
    return list.find((c) => c.id === this.selectedId()) ?? list[0] ?? null;
  });
  /** The tiles on screen: one page of the grid, or only the selected camera on a phone. */
  protected readonly visible = computed((): Camera[] => {
    if (this.phone()) {
      const s = this.selected();
      return s ? [s] : [];
    }
    const p = Math.min(this.page(), this.pageCount() - 1);
    return this.cameras().slice(p * this.pageSize(), (p + 1) * this.pageSize());
  });

  protected readonly alarmByCamera = computed(() => {
    const out: Record<string, RiskLevel | null> = {};
    for (const [id, v] of Object.entries(this.alerts.activeLevelByCamera())) {
      out[id] = v.unacknowledged && (v.level === 'WARNING' || v.level === 'CRITICAL') ? v.level : null;
    }
    return out;
  });

  private touchStartX: number | null = null;
  private touchStartY = 0;

  constructor() {
    const destroyRef = inject(DestroyRef);
    this.directory.ensureLoaded();

    // Metrics/status rooms for every camera; frames only for the tiles on screen. Diffed so list refreshes and
    // page changes do not churn rooms.
    const rooms = new Map<string, () => void>();
    effect(() => {
      const ids = new Set(this.cameras().map((c) => c.id));
      for (const id of ids) if (!rooms.has(id)) rooms.set(id, this.live.subscribe(id));
      for (const [id, release] of rooms) {
        if (!ids.has(id)) {
          release();
          rooms.delete(id);
        }
      }
    });
    const watching = new Map<string, () => void>();
    effect(() => {
      const ids = new Set(this.visible().map((c) => c.id));
      for (const id of ids) if (!watching.has(id)) watching.set(id, this.live.watchFrames(id));
      for (const [id, release] of watching) {
        if (!ids.has(id)) {
          release();
          watching.delete(id);
        }
      }
    });
    destroyRef.onDestroy(() => {
      rooms.forEach((r) => r());
      watching.forEach((r) => r());
    });

    const clock = setInterval(() => this.now.set(Date.now()), CLOCK_TICK_MS);
    destroyRef.onDestroy(() => clearInterval(clock));

    const mq = globalThis.matchMedia?.('(max-width: 575.98px)');
    if (mq) {
      this.phone.set(mq.matches);
      const onChange = (e: MediaQueryListEvent) => this.phone.set(e.matches);
      mq.addEventListener('change', onChange);
      destroyRef.onDestroy(() => mq.removeEventListener('change', onChange));
    }
  }

  protected setGrid(n: GridSize): void {
    this.gridSize.set(n);
    this.page.set(0);
    saveGridSize(n);
  }

  protected select(id: string): void {
    this.selectedId.set(id);
    saveSelected(id);
  }

  protected openCamera(id: string): void {
    void this.router.navigate(['/cameras', id, 'live']);
  }

  protected drop(ev: CdkDragDrop<Camera[]>): void {
    if (ev.previousIndex === ev.currentIndex) return;
    const offset = Math.min(this.page(), this.pageCount() - 1) * this.pageSize();
    const ids = this.cameras().map((c) => c.id);
    moveItemInArray(ids, offset + ev.previousIndex, offset + ev.currentIndex);
    this.order.set(ids);
    saveOrder(ids);
  }

  /** Keyboard/touch alternative to dragging: move a camera one place earlier or later. */
  protected move(id: string, delta: -1 | 1): void {
    const ids = this.cameras().map((c) => c.id);
    const i = ids.indexOf(id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= ids.length) return;
    moveItemInArray(ids, i, j);
    this.order.set(ids);
    saveOrder(ids);
  }

  /** Phones: next/previous camera. */
  protected step(delta: -1 | 1): void {
    const list = this.cameras();
    if (list.length === 0) return;
    const i = Math.max(0, list.findIndex((c) => c.id === this.selected()?.id));
    this.select(list[(i + delta + list.length) % list.length].id);
  }

  protected onTouchStart(ev: TouchEvent): void {
    const t = ev.touches[0];
    this.touchStartX = t ? t.clientX : null;
    this.touchStartY = t ? t.clientY : 0;
  }

  protected onTouchEnd(ev: TouchEvent): void {
    const t = ev.changedTouches[0];
    if (this.touchStartX === null || !t || !this.phone()) return;
    const dx = t.clientX - this.touchStartX;
    const dy = t.clientY - this.touchStartY;
    this.touchStartX = null;
    if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(dy) * 1.5) this.step(dx < 0 ? 1 : -1);
  }

  protected status(c: Camera): { status: DotStatus; label: string | null } {
    const state = this.live.state();
    if (state === 'reconnecting' || state === 'disconnected') return { status: 'unknown', label: 'Unknown' };
    const ev = this.live.statuses()[c.id];
    const m = this.live.metrics()[c.id];
    if (ev && (!m || ev.receivedAt >= m.receivedAt)) return { status: ev.event.status, label: null };
    if (m) return { status: m.event.health.status, label: null };
    return { status: c.status, label: null };
  }
}
