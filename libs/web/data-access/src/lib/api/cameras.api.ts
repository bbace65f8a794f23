import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import { Api, getCamera, listCameras } from '../../generated';
import { toCamera } from './mappers';
import type { Camera } from './models';

/** Cameras REST facade (wraps the generated client; errors are `ApiError`). */
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
}
