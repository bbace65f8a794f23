import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { ClusterBus, type ClusterCameraLive } from '@crowdsafe/server-core';
import { CameraLiveQueries, type CameraLiveSummary, type LiveHeatmapAnswer, type LiveHeatmapGrid } from '@crowdsafe/pipeline';
import { CameraSupervisor } from './camera-supervisor';
import { liveHeatmapOf } from './live-heatmap';

/**
 * CameraLiveQueries for this deployment: a camera running in this process is answered from its runtime; otherwise
 * the process that runs it is asked over the ClusterBus (distributed mode: api replicas without cameras, pipeline
 * processes owning cameras by lease). Every process answers the others for its own cameras (onModuleInit).
 */
@Injectable()
export class ClusterCameraLiveQueries extends CameraLiveQueries implements OnModuleInit {
  constructor(
    private readonly supervisor: CameraSupervisor,
    @Optional() @Inject(ClusterBus) private readonly bus: ClusterBus | null = null,
  ) {
    super();
  }

  onModuleInit(): void {
    this.bus?.handle('camera-live', async ({ cameraId }) => {
      const ids = typeof cameraId === 'string' ? [cameraId] : this.supervisor.runningIds();
      const cameras = ids.map((id) => this.local(id)).filter((c): c is ClusterCameraLive => c !== null);
      return cameras.length ? { cameras } : null;
    });
    this.bus?.handle('camera-heatmap', async ({ cameraId, layer, format }) => {
      const a = this.localHeatmap(cameraId, layer === 'total' ? 'total' : 'live', format === 'png' ? 'png' : 'json');
      if (a.kind === 'not-running' || a.kind === 'unavailable') return null;
      return a.kind === 'json' ? { kind: 'json', grid: { ...a.grid } } : a;
    });
  }

  async summary(cameraId: string): Promise<CameraLiveSummary | null> {
    const here = this.local(cameraId);
    if (here) return { health: here.health, count: here.count };
    const reply = await this.bus?.request('camera-live', { cameraId });
    const found = reply?.answers.flatMap((a) => a.cameras).find((c) => c.cameraId === cameraId);
    return found ? { health: found.health, count: found.count } : null;
  }

  async summaries(): Promise<Map<string, CameraLiveSummary>> {
    const out = new Map<string, CameraLiveSummary>();
    const reply = this.bus ? await this.bus.request('camera-live', {}) : null;
    for (const c of reply?.answers.flatMap((a) => a.cameras) ?? []) out.set(c.cameraId, { health: c.health, count: c.count });
    // This process's own cameras are exact (a former owner may still answer for a camera it is handing over).
    for (const id of this.supervisor.runningIds()) {
      const here = this.local(id);
      if (here) out.set(id, { health: here.health, count: here.count });
    }
    return out;
  }

  async heatmap(cameraId: string, layer: 'live' | 'total', format: 'json' | 'png'): Promise<LiveHeatmapAnswer> {
    const here = this.localHeatmap(cameraId, layer, format);
    if (here.kind !== 'not-running' || !this.bus) return here;
    const reply = await this.bus.request('camera-heatmap', { cameraId, layer, format });
    const [a] = reply.answers;
    if (!a) return reply.complete ? { kind: 'not-running' } : { kind: 'unavailable' };
    return a.kind === 'json' ? { kind: 'json', grid: a.grid as unknown as LiveHeatmapGrid } : a;
  }

  private local(cameraId: string): ClusterCameraLive | null {
    const runtime = this.supervisor.runtime(cameraId);
    return runtime ? { cameraId, health: runtime.health(), count: runtime.snapshot().count } : null;
  }

  private localHeatmap(cameraId: string, layer: 'live' | 'total', format: 'json' | 'png'): LiveHeatmapAnswer {
    const analyzer = this.supervisor.crowdAnalyzer(cameraId);
    const status = this.supervisor.analyticsStatus(cameraId);
    if (analyzer === undefined || !status) return { kind: 'not-running' };
    return liveHeatmapOf(analyzer, status, layer, format);
  }
}
