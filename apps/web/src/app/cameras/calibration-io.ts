import { Injectable, inject } from '@angular/core';
import { type CalibrateResult, type CameraDetail, CamerasApi, type CameraInput, type CameraSettings, toApiError } from '@crowdsafe/web-data-access';
import { type Observable, catchError, from, map, of, switchMap } from 'rxjs';
import type { CalibrationState } from './calibration-state';

export interface Snapshot {
  url: string;
  width: number;
  height: number;
}

/** Snapshot loading, server-side calibration and saving of the editor state. */
@Injectable({ providedIn: 'root' })
export class CalibrationIo {
  private readonly api = inject(CamerasApi);

  /** The camera's current frame as an object URL with its pixel size (null when no frame is available yet). */
  snapshot(cameraId: string): Observable<Snapshot | null> {
    return this.api.snapshot(cameraId).pipe(
      switchMap((blob) => from(createImageBitmap(blob)).pipe(map((bmp) => {
        const s = { url: URL.createObjectURL(blob), width: bmp.width, height: bmp.height };
        bmp.close();
        return s;
      }))),
      catchError(() => of(null)),
    );
  }

  /** Asks the server to validate the calibration and layout; returns the areas (errors are `ApiError` 400s). */
  compute(cameraId: string, s: CalibrationState): Observable<CalibrateResult> {
    const calibrationData = s.calibration();
    if (!calibrationData) return of({ areaM2: null, zoneAreas: {}, warnings: [], raw: {} });
    return this.api.calibrate(cameraId, { calibrationData, zones: s.zones(), lines: s.lines(), save: false });
  }

  /** Validates (calibrate endpoint), then stores calibration, zones, lines and ROI on the camera. */
  save(camera: CameraDetail, s: CalibrationState): Observable<{ camera: CameraDetail; result: CalibrateResult }> {
    return this.compute(camera.id, s).pipe(
      switchMap((result) => {
        const detection: CameraSettings['detection'] = { ...camera.settings.detection };
        const roi = s.normalisedRoi();
        if (roi) detection.roi = roi;
        else delete detection.roi;
        const analytics: CameraSettings['analytics'] = { ...camera.settings.analytics, lines: s.lines() };
        const patch: Partial<CameraInput> = {
          calibrationData: s.calibration(),
          zones: s.zones(),
          areaM2: result.areaM2,
          settings: { ...camera.settings, detection, analytics },
        };
        return this.api.update(camera.id, patch).pipe(map((c) => ({ camera: c, result })));
      }),
    );
  }
}

/** Server messages of a failed calibrate/save, for inline display. */
export function calibrationErrors(e: unknown): string[] {
  const err = toApiError(e);
  return err.details.length ? [...err.details] : [err.message];
}
