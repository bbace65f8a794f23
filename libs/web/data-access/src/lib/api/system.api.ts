import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';

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

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v.length ? v : null);

export function toSystemHealth(raw: unknown): SystemHealth {
  const r = obj(raw);
  const cpu = obj(r['cpu']);
  const mem = obj(r['memory']);
  const disk = r['disk'] ? obj(r['disk']) : null;
  const cams = obj(r['cameras']);
  const inf = r['inference'] ? obj(r['inference']) : null;
  const components: ComponentStatus[] = [];
  const db = obj(r['database']);
  if (r['database']) components.push({ name: 'Database', status: String(db['status'] ?? 'unknown'), latencyMs: num(db['latencyMs']), detail: strOrNull(db['error']) ?? strOrNull(db['type']) });
  const redis = obj(r['redis']);
  if (r['redis']) {
    components.push({
      name: 'Redis',
      status: redis['used'] === false ? 'unused' : String(redis['status'] ?? 'unknown'),
      latencyMs: num(redis['latencyMs']),
      detail: redis['used'] === false ? 'embedded mode' : strOrNull(redis['error']),
    });
  }
  const q = obj(r['queue']);
  if (r['queue']) {
    const waiting = num(q['waiting']);
    components.push({
      name: 'Queue',
      status: String(q['status'] ?? 'unknown'),
      latencyMs: num(q['latencyMs']),
      detail: strOrNull(q['error']) ?? `${String(q['type'] ?? '')}${waiting !== null ? ` · ${waiting} waiting` : ''}`,
    });
  }
  const gpus = Array.isArray(r['gpus']) ? (r['gpus'] as unknown[]) : null;
  return {
    status: String(r['status'] ?? 'unknown'),
    uptimeS: num(r['uptimeS']),
    processCpuPct: num(cpu['processPercent']),
    hostCpuPct: num(cpu['hostPercent']),
    cores: num(cpu['cores']),
    load: Array.isArray(cpu['loadAverage']) ? (cpu['loadAverage'] as number[]) : [],
    processRssBytes: num(mem['processRssBytes']),
    hostTotalBytes: num(mem['hostTotalBytes']),
    hostFreeBytes: num(mem['hostFreeBytes']),
    diskFreeBytes: disk ? num(disk['freeBytes']) : null,
    diskTotalBytes: disk ? num(disk['totalBytes']) : null,
    gpus: gpus
      ? gpus.map((g) => {
          const go = obj(g);
          return {
            name: String(go['name'] ?? 'GPU'),
            utilPct: num(go['utilizationPercent']),
            memoryUsedMb: num(go['memoryUsedMiB']),
            memoryTotalMb: num(go['memoryTotalMiB']),
            temperatureC: num(go['temperatureC']),
          };
        })
      : null,
    components,
    camerasOnline: num(cams['online']),
    camerasRunning: num(cams['running']),
    camerasTotal: num(cams['total']),
    inference: inf ? { provider: String(inf['provider'] ?? ''), model: String(inf['model'] ?? ''), mode: String(inf['mode'] ?? '') } : null,
  };
}

export function toLogEntry(raw: unknown, i: number): LogEntry {
  const r = obj(raw);
  return {
    id: String(r['id'] ?? i),
    time: String(r['time'] ?? r['createdAt'] ?? r['timestamp'] ?? ''),
    level: String(r['level'] ?? 'info'),
    category: String(r['category'] ?? ''),
    action: strOrNull(r['action']),
    message: String(r['message'] ?? ''),
    userId: strOrNull(r['userId']),
  };
}

/** System REST facade (health, logs, stats; admin). */
@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly http = inject(HttpClient);

  health(): Observable<SystemHealth> {
    return this.http.get<unknown>('/api/system/health').pipe(map(toSystemHealth));
  }

  logs(query: LogQuery): Observable<{ items: LogEntry[]; total: number | null }> {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && v !== null) params[k] = String(v);
    return this.http.get<unknown>('/api/system/logs', { params }).pipe(
      map((r) => {
        const list = Array.isArray(r) ? r : ((obj(r)['items'] ?? obj(r)['logs']) as unknown[] | undefined) ?? [];
        return { items: list.map(toLogEntry), total: num(obj(r)['total']) };
      }),
    );
  }

  stats(): Observable<Record<string, unknown>> {
    return this.http.get<unknown>('/api/system/stats').pipe(map(obj));
  }
}
