import { Injectable, inject } from '@angular/core';
import type { CameraSourceType } from '@crowdsafe/contracts';
import { type Observable, map } from 'rxjs';
import {
  Api,
  type ArucoCalibrateDto,
  type ArucoCalibrationDto,
  type BulkResultDto,
  type CalibrateCameraDto,
  type CalibrationDataDto,
  type CalibrationPointDto,
  type CameraSettingsDto,
  type CameraSourceOptionsDto,
  type CameraZoneDto,
  type CountingLineDto,
  type CreateCameraDto,
  type UpdateCameraDto,
  bulkActivateCameras,
  bulkDeactivateCameras,
  bulkDeleteCameras,
  calibrateCamera,
  detectArucoCalibration,
  cloneCamera,
  createCamera,
  deleteCamera,
  getCamera,
  getCameraSnapshot,
  listCameras,
  startCamera,
  stopCamera,
  testCamera,
  testCameraSource,
  updateCamera,
} from '../../generated';
import { toCamera } from './mappers';
import type { Camera } from './models';

/** A camera source (POST /api/cameras/test, create, update). Credentials travel inside the URL (user:pass@host). */
export interface CameraSourceInput {
  sourceType: CameraSourceType;
  /** URL, file path (inside the media dir) or device id, depending on `sourceType`. Redacted URLs sent back unchanged keep the stored credentials. */
  sourceUrl: string;
  sourceOptions?: CameraSourceOptionsDto;
}

/** An [x, y] point of the calibration editor (the API's shapes carry them as number arrays). */
export type Vec2 = [number, number];

// Camera settings, zones, lines and calibration: the generated client's types (the server's DTOs), no copies here.
export type CalibrationPoint = CalibrationPointDto;
/** Raw calibration inputs ({ frame, points | scale | manual }) or a stored Calibration (validated by the server). */
export type CalibrationInput = CalibrationDataDto;
/** A zone / counting line with its points as [x, y] (the server refuses anything else, so stored ones have this form). */
export type CameraZone = Omit<CameraZoneDto, 'polygon'> & { polygon: Vec2[] };
export type CountingLine = Omit<CountingLineDto, 'a' | 'b'> & { a: Vec2; b: Vec2 };
export type CameraSettings = CameraSettingsDto;

export interface CameraInput extends CameraSourceInput {
  name: string;
  location?: string | null;
  isActive?: boolean;
  targetFps?: number;
  resolutionWidth?: number | null;
  resolutionHeight?: number | null;
  capacity?: number | null;
  /** WGS 84 position (both or neither). */
  latitude?: number | null;
  longitude?: number | null;
  areaM2?: number | null;
  calibrationData?: CalibrationInput | null;
  zones?: CameraZone[];
  settings?: CameraSettings;
}

/** One camera with the editable fields (GET /api/cameras/:id). */
export interface CameraDetail extends Camera {
  /** Redacted (no credentials). */
  sourceUrl: string;
  hasCredentials: boolean;
  resolutionWidth: number | null;
  resolutionHeight: number | null;
  capacity: number | null;
  latitude: number | null;
  longitude: number | null;
  areaM2: number | null;
  calibrationData: CalibrationInput | null;
  zones: CameraZone[];
  settings: CameraSettings;
  sourceOptions: CameraSourceOptionsDto;
}

export interface SourceTestResult {
  ok: boolean;
  codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  /** data: URL of a JPEG snapshot, or a URL to fetch it from. */
  snapshotUrl: string | null;
  error: string | null;
  snapshotError?: string | null;
}

export interface CalibrateResult {
  /** Floor area covered by the calibration, m². */
  areaM2: number | null;
  /** Area per zone id, m². */
  zoneAreas: Record<string, number>;
  warnings: string[];
  raw: Record<string, unknown>;
}

export interface BulkResult {
  ok: string[];
  failed: { id: string; message: string }[];
}

type Json = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

export function toCameraDetail(raw: unknown): CameraDetail {
  const r = obj(raw);
  const base = toCamera(r as unknown as Parameters<typeof toCamera>[0]);
  return {
    ...base,
    sourceUrl: str(r['sourceUrl']) ?? '',
    hasCredentials: r['hasCredentials'] === true,
    resolutionWidth: num(r['resolutionWidth']),
    resolutionHeight: num(r['resolutionHeight']),
    capacity: num(r['capacity']),
    latitude: num(r['latitude']),
    longitude: num(r['longitude']),
    areaM2: num(r['areaM2']),
    calibrationData: r['calibrationData'] ? (obj(r['calibrationData']) as CalibrationInput) : null,
    zones: Array.isArray(r['zones']) ? (r['zones'] as CameraZone[]) : [],
    settings: obj(r['settings']) as CameraSettings,
    sourceOptions: obj(r['sourceOptions']) as CameraSourceOptionsDto,
  };
}

export function toSourceTestResult(raw: unknown): SourceTestResult {
  const r = obj(raw);
  const res = obj(r['resolution']);
  const snap = str(r['snapshotJpegBase64']) ?? str(r['snapshotUrl']) ?? str(r['snapshot']) ?? str(r['snapshotBase64']);
  return {
    ok: r['ok'] !== false && !r['error'],
    codec: str(r['codec']),
    width: num(r['width']) ?? num(res['width']),
    height: num(r['height']) ?? num(res['height']),
    fps: num(r['fps']),
    snapshotUrl: snap ? (snap.startsWith('data:') || snap.startsWith('/') || snap.startsWith('http') ? snap : `data:image/jpeg;base64,${snap}`) : null,
    error: str(r['error']) ?? str(r['message']),
    snapshotError: str(r['snapshotError']),
  };
}

export function toCalibrateResult(raw: unknown): CalibrateResult {
  const r = obj(raw);
  const zoneAreas: Record<string, number> = {};
  const zones = r['zones'];
  if (Array.isArray(zones)) {
    for (const z of zones) {
      const zo = obj(z);
      const a = num(zo['areaM2']);
      if (typeof zo['id'] === 'string' && a !== null) zoneAreas[zo['id']] = a;
    }
  } else {
    for (const [k, v] of Object.entries(obj(r['zoneAreas']))) if (num(v) !== null) zoneAreas[k] = v as number;
  }
  const warnings = Array.isArray(r['warnings'])
    ? (r['warnings'] as unknown[]).map((w) => (typeof w === 'string' ? w : (str(obj(w)['message']) ?? JSON.stringify(w))))
    : [];
  return { areaM2: num(r['areaM2']) ?? num(r['floorAreaM2']), zoneAreas, warnings, raw: r };
}

/** Cameras REST facade over the generated client (errors are `ApiError`; field messages are in `ApiError.details`). */
@Injectable({ providedIn: 'root' })
export class CamerasApi {
  private readonly api = inject(Api);

  list(): Observable<Camera[]> {
    return this.api.invoke(listCameras).pipe(map((cams) => cams.map(toCamera)));
  }

  /** Errors with `ApiError` status 404 for an unknown id. */
  get(id: string): Observable<Camera> {
    return this.api.invoke(getCamera, { id }).pipe(map(toCamera));
  }

  detail(id: string): Observable<CameraDetail> {
    return this.api.invoke(getCamera, { id }).pipe(map(toCameraDetail));
  }

  create(input: CameraInput): Observable<CameraDetail> {
    const body: CreateCameraDto = input;
    return this.api.invoke(createCamera, { body }).pipe(map(toCameraDetail));
  }

  update(id: string, patch: Partial<CameraInput>): Observable<CameraDetail> {
    const body: UpdateCameraDto = patch;
    return this.api.invoke(updateCamera, { id, body }).pipe(map(toCameraDetail));
  }

  delete(id: string): Observable<void> {
    return this.api.invoke(deleteCamera, { id });
  }

  /** Probe a source before saving it. */
  testSource(source: CameraSourceInput): Observable<SourceTestResult> {
    return this.api.invoke(testCameraSource, { body: source }).pipe(map(toSourceTestResult));
  }

  /** Probe a saved camera's source. */
  test(id: string): Observable<SourceTestResult> {
    return this.api.invoke(testCamera, { id, body: {} }).pipe(map(toSourceTestResult));
  }

  calibrate(
    id: string,
    body: { calibrationData: CalibrationInput; zones?: CameraZone[]; lines?: CountingLine[]; save?: boolean },
  ): Observable<CalibrateResult> {
    const dto: CalibrateCameraDto = body;
    return this.api.invoke(calibrateCamera, { id, body: dto }).pipe(map(toCalibrateResult));
  }

  /** ArUco markers detected in the camera's current frame and the floor homography they give (a proposal; not saved). */
  detectAruco(id: string, body: ArucoCalibrateDto): Observable<ArucoCalibrationDto> {
    return this.api.invoke(detectArucoCalibration, { id, body });
  }

  start(id: string): Observable<Camera> {
    return this.api.invoke(startCamera, { id }).pipe(map(toCamera));
  }

  stop(id: string): Observable<Camera> {
    return this.api.invoke(stopCamera, { id }).pipe(map(toCamera));
  }

  /** Copies settings/zones/calibration to a new camera (inactive unless `isActive`). */
  clone(id: string, body: { name: string; sourceType?: CameraSourceType; sourceUrl: string; location?: string | null; isActive?: boolean }): Observable<CameraDetail> {
    return this.api.invoke(cloneCamera, { id, body }).pipe(map(toCameraDetail));
  }

  bulk(action: 'activate' | 'deactivate' | 'delete', ids: string[]): Observable<BulkResult> {
    const fn = action === 'activate' ? bulkActivateCameras : action === 'deactivate' ? bulkDeactivateCameras : bulkDeleteCameras;
    return this.api.invoke(fn, { body: { ids } }).pipe(
      map((r: BulkResultDto) => ({ ok: r.ids, failed: r.notFound.map((nf) => ({ id: nf, message: 'no such camera' })) })),
    );
  }

  /** URL of the camera's current frame as JPEG (cache-busted). */
  snapshotUrl(id: string, annotated = false): string {
    return `${this.api.rootUrl}${getCameraSnapshot.PATH.replace('{id}', encodeURIComponent(id))}?annotated=${annotated}&t=${Date.now()}`;
  }

  /** The current frame as a Blob (goes through the auth interceptor, unlike an <img src>). */
  snapshot(id: string, annotated = false): Observable<Blob> {
    return this.api.invoke(getCameraSnapshot, { id, annotated });
  }
}
