import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { SettingsService } from '@crowdsafe/server-settings';
import type { CameraSettings, CameraSourceType, CameraZone, RawFrame, UserRole } from '@crowdsafe/contracts';
import { zoneArea, type Zone } from '@crowdsafe/analytics';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { ClusterBus, redactUrl } from '@crowdsafe/server-core';
import { type CameraRecord, CameraRepository, type CreateCameraInput, DuplicateError, type JsonObject, type UpdateCameraPatch } from '@crowdsafe/server-database';
import {
  cameraSourceInput,
  computeOutputSize,
  grabJpeg,
  prepareEgress,
  probeSource,
  ProbeError,
  resolveMediaFile,
  SourceInputError,
  SourceRefusedError,
  type SourceInput,
  urlOrigin,
  urlUserinfo,
} from '../ingest';
import { renderAlertSnapshot } from '../runtime/alert-snapshot';
import { CameraSettingsError, parseCameraSettings, storedCalibrationData, storedCameraSettings, storedCameraZones } from '../runtime/camera-settings';
import { analyticsInputOf, CameraSupervisor } from '../runtime/camera-supervisor';
import { calibrationOf, CameraLiveQueries, type CameraLiveSummary, resolveCameraAnalytics } from '@crowdsafe/pipeline';
import {
  type BulkResultDto,
  type CalibrateCameraDto,
  type CalibrationResultDto,
  CAMERA_LIMITS,
  type CameraDto,
  type CameraSourceOptionsDto,
  type CloneCameraDto,
  type CreateCameraDto,
  type SourceTestResultDto,
  type TestSourceDto,
  type UpdateCameraDto,
} from './camera.dto';

/** Default ports for the reachability check at create/update. */
const DEFAULT_PORTS: Record<string, number> = { 'rtsp:': 554, 'rtsps:': 322, 'http:': 80, 'https:': 443, 'rtmp:': 1935, 'rtmps:': 443 };
/** settings.risk overrides the admin-only risk thresholds (settings risk.thresholds) for one camera: admin only. */
const RISK_OVERRIDE_MESSAGE = 'settings.risk (risk thresholds) requires role: admin';
const CONNECT_CHECK_MS = 3000;
/** Fields whose change restarts a running camera (source, decode or pipeline settings). */
const RESTART_FIELDS: readonly (keyof UpdateCameraPatch)[] = [
  'sourceType', 'sourceUrl', 'sourceOptions', 'targetFps', 'resolutionWidth', 'resolutionHeight', 'zones', 'calibrationData', 'settings', 'capacity',
];

const bad = (message: string): BadRequestException => new BadRequestException(message);

/** Latitude and longitude come together (both or neither). */
function checkPosition(latitude: number | null | undefined, longitude: number | null | undefined): { latitude: number | null; longitude: number | null } {
  const lat = latitude ?? null;
  const lon = longitude ?? null;
  if ((lat === null) !== (lon === null)) throw bad('latitude and longitude must be given together (or both null)');
  return { latitude: lat, longitude: lon };
}

/**
 * The camera API's logic: every input checked before anything is saved (400 with the reason), then the stored
 * record is applied to the running camera (started, stopped or restarted cleanly by the supervisor).
 */
@Injectable()
export class CamerasService implements OnModuleInit {
  private readonly logger = new Logger('CamerasApi');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cameras: CameraRepository,
    private readonly supervisor: CameraSupervisor,
    @Optional() @Inject(ClusterBus) private readonly bus: ClusterBus | null = null,
    @Optional() @Inject(SettingsService) private readonly settings: SettingsService | null = null,
    @Optional() @Inject(CameraLiveQueries) private readonly live: CameraLiveQueries | null = null,
  ) {}

  /** Every camera with its live health and count, wherever it runs (the pipelines are asked once for all). */
  async list(): Promise<CameraDto[]> {
    const list = await this.cameras.list();
    const remote = list.some((c) => !this.supervisor.runtime(c.id)) ? await this.remoteLive() : null;
    return list.map((c) => this.toDto(c, remote?.get(c.id) ?? null));
  }

  async get(id: string): Promise<CameraDto> {
    const camera = await this.find(id);
    const remote = this.supervisor.runtime(id) ? null : ((await this.live?.summary(id).catch(() => null)) ?? null);
    return this.toDto(camera, remote);
  }

  /** The live state of the cameras running in other processes (distributed mode; empty embedded). */
  private async remoteLive(): Promise<Map<string, CameraLiveSummary> | null> {
    return this.bus && this.live ? this.live.summaries().catch(() => null) : null;
  }

  /** `role`: the caller's, when it comes from the API (settings.risk is admin-only); omitted for internal calls. */
  async create(dto: CreateCameraDto, createdBy?: string | null, role?: UserRole): Promise<CameraDto> {
    if (role !== undefined && role !== 'admin' && dto.settings?.risk !== undefined) {
      throw new ForbiddenException(RISK_OVERRIDE_MESSAGE);
    }
    const source = await this.checkSource(dto.sourceType, dto.sourceUrl, dto.sourceOptions);
    const input: CreateCameraInput = {
      name: dto.name,
      location: dto.location ?? null,
      sourceType: dto.sourceType,
      sourceUrl: source.storedUrl,
      sourceOptions: { ...(dto.sourceOptions ?? {}) } as JsonObject,
      isActive: dto.isActive ?? true,
      ...this.decodeDefaults(dto),
      capacity: dto.capacity ?? null,
      ...checkPosition(dto.latitude ?? null, dto.longitude ?? null),
      areaM2: dto.areaM2 ?? null,
      calibrationData: asJson(dto.calibrationData ?? null),
      zones: (dto.zones ?? []).map(asJson),
      settings: asJson(dto.settings ?? {}),
      ...(createdBy ? { createdBy } : {}),
    };
    const areaM2 = this.checkPipeline(input);
    if (input.areaM2 === null && areaM2 !== null) input.areaM2 = areaM2;
    const record = await this.saving(() => this.cameras.create(input));
    await this.supervisor.applyCamera(record);
    return this.toDto(record);
  }

  async update(id: string, dto: UpdateCameraDto, role?: UserRole): Promise<CameraDto> {
    const current = await this.find(id);
    if (role !== undefined && role !== 'admin' && dto.settings !== undefined) dto = { ...dto, settings: keepRiskOverride(dto.settings, current.settings) };
    const patch: UpdateCameraPatch = {};
    const sourceChanged = dto.sourceType !== undefined || dto.sourceUrl !== undefined || dto.sourceOptions !== undefined;
    if (sourceChanged) {
      const type = dto.sourceType ?? current.sourceType;
      let url = dto.sourceUrl ?? current.sourceUrl;
      // The API shows 'scheme://***@host/...': sent back unchanged, it keeps the stored credentials.
      const stored = urlUserinfo(current.sourceUrl);
      if (dto.sourceUrl !== undefined && urlUserinfo(url) === '***' && stored) {
        // ...but only for the same scheme, host and port: never carried to an address the caller chose.
        if (urlOrigin(url) === null || urlOrigin(url) !== urlOrigin(current.sourceUrl)) {
          throw bad('sourceUrl: the stored credentials stay with the camera address they were entered for (scheme, host and port); enter the user name and password for the new address');
        }
        url = url.replace('***@', `${stored}@`);
      }
      const options = dto.sourceOptions ?? (current.sourceOptions as CameraSourceOptionsDto);
      const source = await this.checkSource(type, url, options);
      Object.assign(patch, { sourceType: type, sourceUrl: source.storedUrl, sourceOptions: { ...options } as JsonObject });
    }
    for (const key of ['name', 'location', 'isActive', 'targetFps', 'resolutionWidth', 'resolutionHeight', 'capacity', 'latitude', 'longitude', 'areaM2', 'calibrationData', 'zones', 'settings'] as const) {
      if (dto[key] !== undefined) (patch as Record<string, unknown>)[key] = dto[key];
    }
    if (patch.latitude !== undefined || patch.longitude !== undefined) {
      checkPosition(patch.latitude !== undefined ? patch.latitude : current.latitude, patch.longitude !== undefined ? patch.longitude : current.longitude);
    }
    const merged = { ...current, ...patch } as CameraRecord;
    const areaM2 = this.checkPipeline(merged);
    if (patch.calibrationData !== undefined && dto.areaM2 === undefined) patch.areaM2 = areaM2;
    const record = await this.saving(() => this.cameras.update(id, patch));
    if (!record) throw new NotFoundException(`Camera ${id} not found`);
    const restart = RESTART_FIELDS.some((k) => patch[k] !== undefined && JSON.stringify(patch[k]) !== JSON.stringify(current[k as keyof CameraRecord]));
    await this.supervisor.applyCamera(record, restart);
    return this.toDto(record);
  }

  /**
   * PUT /api/cameras/:id (the spec's name): full replacement. Every field not given takes its create default
   * (location, position, capacity, area, calibration null; zones []; settings {}; fps and resolution from the
   * settings system.defaultTargetFps / defaultResolution; active), then it is applied like an update.
   */
  async replace(id: string, dto: CreateCameraDto): Promise<CameraDto> {
    await this.find(id);
    const full: UpdateCameraDto = {
      name: dto.name,
      sourceType: dto.sourceType,
      sourceUrl: dto.sourceUrl,
      sourceOptions: dto.sourceOptions ?? {},
      location: dto.location ?? null,
      isActive: dto.isActive ?? true,
      ...this.decodeDefaults(dto),
      capacity: dto.capacity ?? null,
      latitude: dto.latitude ?? null,
      longitude: dto.longitude ?? null,
      areaM2: dto.areaM2 ?? null,
      calibrationData: dto.calibrationData ?? null,
      zones: dto.zones ?? [],
      settings: dto.settings ?? {},
    };
    return this.update(id, full);
  }

  /**
   * Frame rate and decoded size of a new camera: what the request gives, else the settings system.defaultTargetFps
   * and system.defaultResolution (read now, so a change applies to the next camera created).
   */
  private decodeDefaults(dto: Pick<CreateCameraDto, 'targetFps' | 'resolutionWidth' | 'resolutionHeight'>): { targetFps: number; resolutionWidth: number | null; resolutionHeight: number | null } {
    const fps = this.settings?.get('system', 'defaultTargetFps') ?? this.config.cameras.defaultFps;
    const res = this.settings && this.settings.view('system', 'defaultResolution').version > 0 ? this.settings.get('system', 'defaultResolution') : null;
    const noSize = dto.resolutionWidth === undefined && dto.resolutionHeight === undefined;
    return {
      targetFps: dto.targetFps ?? fps,
      resolutionWidth: dto.resolutionWidth !== undefined ? dto.resolutionWidth : noSize && res ? res.width : null,
      resolutionHeight: dto.resolutionHeight !== undefined ? dto.resolutionHeight : noSize && res ? res.height : null,
    };
  }

  async remove(id: string): Promise<void> {
    await this.find(id);
    await this.supervisor.removeCamera(id);
    await this.cameras.delete(id);
  }

  async setActive(id: string, isActive: boolean): Promise<CameraDto> {
    await this.find(id);
    const record = await this.cameras.update(id, { isActive });
    if (!record) throw new NotFoundException(`Camera ${id} not found`);
    await this.supervisor.applyCamera(record);
    return this.toDto(record);
  }

  async clone(id: string, dto: CloneCameraDto, createdBy?: string | null): Promise<CameraDto> {
    const original = await this.find(id);
    const sourceOptions = dto.sourceOptions ?? (original.sourceOptions as CameraSourceOptionsDto);
    return this.create(
      {
        name: dto.name,
        location: dto.location === undefined ? original.location : dto.location,
        sourceType: dto.sourceType ?? original.sourceType,
        sourceUrl: dto.sourceUrl,
        sourceOptions,
        isActive: dto.isActive ?? false,
        targetFps: original.targetFps,
        resolutionWidth: original.resolutionWidth,
        resolutionHeight: original.resolutionHeight,
        capacity: original.capacity,
        areaM2: original.areaM2,
        calibrationData: storedCalibrationData(original.calibrationData),
        zones: storedCameraZones(original.zones),
        settings: storedCameraSettings(original.settings),
      },
      createdBy,
    );
  }

  async bulkSetActive(ids: string[], isActive: boolean): Promise<BulkResultDto> {
    const updated = await this.cameras.setActiveMany(ids, isActive);
    for (const record of updated) await this.supervisor.applyCamera(record);
    const found = new Set(updated.map((c) => c.id));
    return { ids: updated.map((c) => c.id), notFound: ids.filter((id) => !found.has(id)) };
  }

  async bulkDelete(ids: string[]): Promise<BulkResultDto> {
    const existing = await this.cameras.findByIds(ids);
    for (const c of existing) await this.supervisor.removeCamera(c.id);
    const deleted = await this.cameras.deleteMany(existing.map((c) => c.id));
    const gone = new Set(deleted);
    return { ids: deleted, notFound: ids.filter((id) => !gone.has(id)) };
  }

  /** Probes a source before it is saved: codec, size, fps and one JPEG frame, within the timeout. */
  async testSource(dto: TestSourceDto): Promise<SourceTestResultDto> {
    const source = await this.checkSource(dto.sourceType, dto.sourceUrl, dto.sourceOptions, { connectCheck: false });
    return this.probePinned(source.input, dto.timeoutMs, null, null);
  }

  async testCamera(id: string, timeoutMs?: number): Promise<SourceTestResultDto> {
    const c = await this.find(id);
    const source = await this.checkSource(c.sourceType, c.sourceUrl, c.sourceOptions, { connectCheck: false });
    return this.probePinned(source.input, timeoutMs, c.resolutionWidth, c.resolutionHeight);
  }

  /** probe() with ffmpeg held to the address the SSRF guard checked (guarding proxy / pinned IP, see prepareEgress). */
  private async probePinned(input: SourceInput, timeoutMs: number | undefined, maxWidth: number | null, maxHeight: number | null): Promise<SourceTestResultDto> {
    let prepared;
    try {
      prepared = await prepareEgress(input, this.supervisor.guard);
    } catch (err) {
      if (err instanceof SourceRefusedError) throw bad(err.message);
      throw err;
    }
    try {
      return await this.probe(prepared.input, timeoutMs, maxWidth, maxHeight);
    } finally {
      await prepared.release();
    }
  }

  /** Validates a calibration (and zones/lines) with the analytics lib; stores it unless save=false. */
  async calibrate(id: string, dto: CalibrateCameraDto): Promise<CalibrationResultDto> {
    const current = await this.find(id);
    this.checkJsonSize('calibrationData', dto.calibrationData);
    const cal = calibrationOf(dto.calibrationData);
    if (!cal.ok) throw bad(issuesText(cal.issues));
    const calibration = cal.value;
    if (!(calibration.floorAreaM2 > 0) || !Number.isFinite(calibration.floorAreaM2)) {
      throw bad(`calibrationData: the calibrated floor area must be greater than 0 m² (got ${calibration.floorAreaM2})`);
    }
    const stored = storedCameraSettings(current.settings);
    const zones: CameraZone[] = dto.zones ?? storedCameraZones(current.zones);
    const lines = dto.lines ?? stored.analytics?.lines ?? [];
    const setup = resolveCameraAnalytics({ calibrationData: dto.calibrationData, zones, lines, capacity: current.capacity });
    if (setup.state === 'off') throw bad(setup.reason);
    const zoneAreas = (zones as Zone[]).map((z) => ({ id: z.id, name: z.name, areaM2: round(zoneArea(calibration, z).areaM2, 3) }));
    const bad0 = zoneAreas.find((z) => !(z.areaM2 > 0));
    if (bad0) throw bad(`zones[${bad0.id}]: the zone's floor area must be greater than 0 m² (no ground mapping and no areaM2?)`);
    const save = dto.save ?? true;
    if (save) {
      const settings: CameraSettings = { ...stored, analytics: { ...stored.analytics, lines } };
      const record = await this.cameras.update(id, {
        calibrationData: asJson(dto.calibrationData),
        zones: zones.map(asJson),
        settings: asJson(settings),
        areaM2: round(calibration.floorAreaM2, 3),
      });
      if (!record) throw new NotFoundException(`Camera ${id} not found`);
      await this.supervisor.applyCamera(record, true);
    }
    return {
      kind: calibration.kind,
      areaM2: round(calibration.floorAreaM2, 3),
      approximate: calibration.approximate,
      rmsErrorPx: calibration.rmsErrorPx,
      rmsErrorM: calibration.rmsErrorM,
      warnings: setup.state === 'on' ? setup.warnings : [],
      zones: zoneAreas,
      calibration: { ...calibration, floorPolygon: calibration.floorPolygon.map(([x, y]) => [x, y]) },
      saved: save,
    };
  }

  /** The camera's latest decoded frame (409 when it does not run in this process or has no frame yet). */
  async currentFrame(id: string): Promise<RawFrame> {
    await this.find(id);
    const frame = this.supervisor.latestFrame(id) ?? null;
    if (!frame) throw new ConflictException(`Camera ${id} has no current frame (not running in this process or not connected yet)`);
    return frame;
  }

  /** The current frame as a JPEG (annotated: person boxes / track ids of the last processed frame). */
  async snapshot(id: string, annotated: boolean): Promise<Buffer> {
    await this.find(id);
    const jpeg = (await this.localSnapshot(id, annotated)) ?? (await this.remoteSnapshot(id, annotated));
    if (!jpeg) throw new ConflictException(`Camera ${id} has no current frame (not running or not connected yet)`);
    return jpeg;
  }

  /** Another process (an api replica without cameras) asks for the current frame of a camera running here. */
  onModuleInit(): void {
    this.bus?.handle('camera-snapshot', async ({ cameraId, annotated }) => {
      const jpeg = await this.localSnapshot(cameraId, annotated);
      return jpeg ? { jpegBase64: jpeg.toString('base64') } : null;
    });
  }

  private async remoteSnapshot(id: string, annotated: boolean): Promise<Buffer | null> {
    const [answer] = (await this.bus?.request('camera-snapshot', { cameraId: id, annotated }))?.answers ?? [];
    return answer ? Buffer.from(answer.jpegBase64, 'base64') : null;
  }

  private async localSnapshot(id: string, annotated: boolean): Promise<Buffer | null> {
    const runtime = this.supervisor.runtime(id);
    const frame = runtime?.latestFrame() ?? null;
    if (!runtime || !frame) return null;
    const last = runtime.snapshot();
    return renderAlertSnapshot(
      frame,
      { detections: annotated ? last.detections : [], tracks: annotated ? (last.tracks ?? []) : [], roi: null, zones: [], annotation: runtime.annotationOverlay() },
      { maxWidth: Math.max(this.config.cameras.liveMaxWidth, 1280), quality: 85 },
    );
  }

  /** The camera as the API shows it; `remote`: its live state in the process that runs it, when not this one. */
  toDto(c: CameraRecord, remote: CameraLiveSummary | null = null): CameraDto {
    const runtime = this.supervisor.runtime(c.id);
    const health = runtime?.health() ?? remote?.health ?? null;
    return {
      id: c.id,
      name: c.name,
      location: c.location ?? null,
      sourceType: c.sourceType,
      // Never the credentials: 'rtsp://***@host/...'.
      sourceUrl: redactUrl(c.sourceUrl),
      hasCredentials: urlUserinfo(c.sourceUrl) !== null,
      sourceOptions: (c.sourceOptions ?? {}) as CameraSourceOptionsDto,
      isActive: c.isActive,
      status: health?.status ?? c.status,
      statusReason: health ? (health.reason ?? null) : (c.statusReason ?? null),
      targetFps: c.targetFps,
      resolutionWidth: c.resolutionWidth ?? null,
      resolutionHeight: c.resolutionHeight ?? null,
      areaM2: c.areaM2 ?? null,
      capacity: c.capacity ?? null,
      latitude: c.latitude ?? null,
      longitude: c.longitude ?? null,
      calibrationData: storedCalibrationData(c.calibrationData),
      zones: storedCameraZones(c.zones),
      settings: storedCameraSettings(c.settings),
      running: runtime !== undefined || remote !== null,
      health,
      currentCount: runtime ? runtime.snapshot().count : (remote?.count ?? null),
      createdAt: new Date(c.createdAt).toISOString(),
      updatedAt: new Date(c.updatedAt).toISOString(),
    };
  }

  // ---- checks ----

  private async find(id: string): Promise<CameraRecord> {
    const camera = await this.cameras.findById(id);
    if (!camera) throw new NotFoundException(`Camera ${id} not found`);
    return camera;
  }

  /**
   * Scheme/shape per type, file confinement (realpath inside a media dir), device presence, SSRF guard and (for
   * create/update) a TCP reachability check. Returns the input to open and the URL/path to store.
   */
  async checkSource(
    type: CameraSourceType,
    url: string,
    options: unknown,
    opts: { connectCheck: boolean } = { connectCheck: true },
  ): Promise<{ input: SourceInput; storedUrl: string }> {
    let input: SourceInput;
    try {
      input = cameraSourceInput(type, url, options ?? {});
      switch (input.kind) {
        case 'file': {
          const real = await resolveMediaFile(input.path, this.config.cameras.mediaDirs, [this.config.cameras.sampleVideo]);
          input = { ...input, path: real };
          return { input, storedUrl: real };
        }
        case 'device': {
          const st = await stat(input.device).catch(() => null);
          if (!st || !st.isCharacterDevice()) throw new SourceInputError(`capture device ${input.device} not found`);
          return { input, storedUrl: input.device };
        }
        case 'url': {
          const u = new URL(input.url);
          const addresses = await this.supervisor.guard.checkHost(u.hostname);
          if (opts.connectCheck) await tcpReachable(addresses[0], Number(u.port || DEFAULT_PORTS[u.protocol] || 0), u.hostname);
          return { input, storedUrl: input.url };
        }
      }
    } catch (err) {
      if (err instanceof SourceInputError || err instanceof SourceRefusedError) throw bad(err.message);
      throw err;
    }
  }

  /** Settings, calibration, zones and lines of a camera-to-be; returns the calibrated floor area (or null). */
  private checkPipeline(c: {
    settings?: JsonObject;
    calibrationData?: JsonObject | null;
    zones?: JsonObject[];
    capacity?: number | null;
    areaM2?: number | null;
  }): number | null {
    this.checkJsonSize('settings', c.settings);
    this.checkJsonSize('calibrationData', c.calibrationData);
    this.checkJsonSize('zones', c.zones);
    if (c.areaM2 !== null && c.areaM2 !== undefined && !(c.areaM2 > 0)) throw bad('areaM2 must be greater than 0');
    let settings: CameraSettings;
    try {
      settings = parseCameraSettings(c.settings);
    } catch (err) {
      if (err instanceof CameraSettingsError) throw bad(err.message);
      throw err;
    }
    const hasCalibration = c.calibrationData !== null && c.calibrationData !== undefined && Object.keys(c.calibrationData).length > 0;
    // Zones/lines without a calibration are kept (analytics stays off until the camera is calibrated).
    if (!hasCalibration) return null;
    const setup = resolveCameraAnalytics(analyticsInputOf({ calibrationData: c.calibrationData ?? null, zones: c.zones ?? [], capacity: c.capacity ?? null, settings }));
    if (setup.state === 'off') throw bad(setup.reason);
    if (setup.state !== 'on') return null;
    const area = setup.calibration.floorAreaM2;
    if (!(area > 0) || !Number.isFinite(area)) throw bad(`calibrationData: the calibrated floor area must be greater than 0 m² (got ${area})`);
    return round(area, 3);
  }

  private checkJsonSize(field: string, value: unknown): void {
    if (value === undefined || value === null) return;
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > CAMERA_LIMITS.jsonMaxBytes) throw bad(`${field} is too large (${bytes} bytes, at most ${CAMERA_LIMITS.jsonMaxBytes})`);
  }

  private async saving<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (err instanceof DuplicateError) throw new ConflictException(err.message);
      throw err;
    }
  }

  private async probe(input: SourceInput, timeoutMs: number | undefined, maxWidth: number | null, maxHeight: number | null): Promise<SourceTestResultDto> {
    const cfg = this.config.cameras;
    const limit = timeoutMs ?? cfg.probeTimeoutMs;
    const t0 = Date.now();
    let probe;
    try {
      probe = await probeSource(input, { ffprobePath: cfg.ffprobePath, timeoutMs: limit });
    } catch (err) {
      if (err instanceof ProbeError) throw bad(`source test failed (${err.code}): ${err.message}`);
      throw err;
    }
    const out = computeOutputSize(probe, maxWidth ?? cfg.defaultWidth, maxHeight);
    let snapshot: string | null = null;
    let snapshotError: string | null = null;
    try {
      snapshot = (await grabJpeg(input, { ffmpegPath: cfg.ffmpegPath, timeoutMs: limit, maxWidth: Math.min(out.width, 1280) })).toString('base64');
    } catch (err) {
      snapshotError = err instanceof Error ? err.message : String(err);
      this.logger.warn(`source test: no snapshot: ${snapshotError}`);
    }
    return {
      codec: probe.codec,
      width: probe.width,
      height: probe.height,
      fps: probe.fps === null ? null : round(probe.fps, 3),
      durationS: probe.durationS,
      outputWidth: out.width,
      outputHeight: out.height,
      snapshotJpegBase64: snapshot,
      snapshotError,
      elapsedMs: Date.now() - t0,
    };
  }
}

/**
 * A non-admin's settings for a camera: settings.risk must stay what the admin set. Omitted, the current override is
 * kept (not dropped); changed, set or removed -> 403.
 */
function keepRiskOverride<T extends CameraSettings>(next: T, current: JsonObject): T {
  const cur = storedCameraSettings(current).risk;
  if (next.risk === undefined) return cur === undefined ? next : { ...next, risk: cur };
  if (JSON.stringify(next.risk) !== JSON.stringify(cur)) throw new ForbiddenException(RISK_OVERRIDE_MESSAGE);
  return next;
}

/** A typed value (validated settings, zone, calibration) as the record's JSON column; the one cast to the column type. */
function asJson<T extends object | null>(value: T): T extends null ? null : JsonObject {
  return value as unknown as T extends null ? null : JsonObject;
}

function issuesText(issues: ReadonlyArray<{ severity: string; message: string; path?: string }>): string {
  const errors = issues.filter((i) => i.severity === 'error');
  return (errors.length ? errors : issues).map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ');
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** A TCP connection to the source's host and port can be opened within CONNECT_CHECK_MS (400 otherwise). */
function tcpReachable(address: string | undefined, port: number, host: string): Promise<void> {
  if (!address || !(port > 0)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host: address, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(bad(`host ${host} port ${port} is unreachable (${why})`));
    };
    socket.setTimeout(CONNECT_CHECK_MS, () => fail(`no answer within ${CONNECT_CHECK_MS} ms`));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
  });
}
