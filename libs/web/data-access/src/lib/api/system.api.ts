import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import {
  Api,
  type GetSystemLogs$Params,
  type SystemHealthDto,
  type SystemLogDto,
  type SystemStatsDto,
  getSystemHealth,
  getSystemLogs,
  getSystemStats,
} from '../../generated';

export interface ComponentStatus {
  name: string;
  /** up | down | unused */
  status: string;
  latencyMs: number | null;
  detail: string | null;
}

export interface GpuInfo {
  name: string;
  utilPct: number | null;
  memoryUsedMb: number | null;
  memoryTotalMb: number | null;
  temperatureC: number | null;
}

export interface SystemHealth {
  status: string;
  uptimeS: number | null;
  processCpuPct: number | null;
  hostCpuPct: number | null;
  cores: number | null;
  load: number[];
  processRssBytes: number | null;
  hostTotalBytes: number | null;
  hostFreeBytes: number | null;
  diskFreeBytes: number | null;
  diskTotalBytes: number | null;
  gpus: GpuInfo[] | null;
  components: ComponentStatus[];
  camerasOnline: number | null;
  camerasRunning: number | null;
  camerasTotal: number | null;
  inference: { provider: string; model: string; mode: string } | null;
}

export interface LogEntry {
  id: string;
  time: string;
  level: string;
  category: string;
  action: string | null;
  message: string;
  userId: string | null;
}

export interface LogQuery {
  level?: string;
  category?: string;
  from?: string;
  to?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

export function toSystemHealth(dto: SystemHealthDto): SystemHealth {
  const components: ComponentStatus[] = [];
  const db = dto.database;
  if (db) components.push({ name: 'Database', status: db.status, latencyMs: db.latencyMs ?? null, detail: db.error ?? db.type });
  const redis = dto.redis;
  if (redis) {
    components.push({
      name: 'Redis',
      status: redis.used === false ? 'unused' : (redis.status ?? 'unknown'),
      latencyMs: redis.latencyMs ?? null,
      detail: redis.used === false ? 'embedded mode' : (redis.error ?? null),
    });
  }
  const q = dto.queue;
  if (q) {
    components.push({
      name: 'Queue',
      status: q.status,
      latencyMs: q.latencyMs ?? null,
      detail: q.error ?? `${q.type}${q.waiting !== null ? ` · ${q.waiting} waiting` : ''}`,
    });
  }
  return {
    status: dto.status,
    uptimeS: dto.uptimeS,
    processCpuPct: dto.cpu.processPercent,
    hostCpuPct: dto.cpu.hostPercent,
    cores: dto.cpu.cores,
    load: dto.cpu.loadAverage ?? [],
    processRssBytes: dto.memory.processRssBytes,
    hostTotalBytes: dto.memory.hostTotalBytes,
    hostFreeBytes: dto.memory.hostFreeBytes,
    diskFreeBytes: dto.disk ? dto.disk.freeBytes : null,
    diskTotalBytes: dto.disk ? dto.disk.totalBytes : null,
    gpus: dto.gpus
      ? dto.gpus.map((g) => ({
          name: g.name,
          utilPct: g.utilizationPercent,
          memoryUsedMb: g.memoryUsedMiB,
          memoryTotalMb: g.memoryTotalMiB,
          temperatureC: g.temperatureC,
        }))
      : null,
    components,
    camerasOnline: dto.cameras.online,
    camerasRunning: dto.cameras.running,
    camerasTotal: dto.cameras.total,
    inference: dto.inference ? { provider: dto.inference.provider, model: dto.inference.model, mode: dto.inference.mode } : null,
  };
}

export function toLogEntry(dto: SystemLogDto): LogEntry {
  return {
    id: dto.id,
    time: dto.time,
    level: dto.level,
    category: dto.category,
    action: dto.action ?? null,
    message: dto.message,
    userId: dto.userId ?? null,
  };
}

const blank = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/** System REST facade over the generated client (health, logs, stats; admin). */
@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly api = inject(Api);

  health(): Observable<SystemHealth> {
    return this.api.invoke(getSystemHealth).pipe(map(toSystemHealth));
  }

  logs(query: LogQuery): Observable<{ items: LogEntry[]; total: number | null }> {
    const params: GetSystemLogs$Params = {
      level: blank(query.level) as GetSystemLogs$Params['level'],
      category: blank(query.category) as GetSystemLogs$Params['category'],
      from: blank(query.from),
      to: blank(query.to),
      search: blank(query.search),
      limit: query.limit,
      offset: query.offset,
    };
    return this.api.invoke(getSystemLogs, params).pipe(map((page) => ({ items: page.items.map(toLogEntry), total: page.total })));
  }

  stats(): Observable<Record<string, unknown>> {
    return this.api.invoke(getSystemStats).pipe(map((s: SystemStatsDto) => ({ ...s }) as Record<string, unknown>));
  }
}
