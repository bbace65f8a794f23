import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import { Api, getHealth } from '../../generated';
import { toServerHealth } from './mappers';
import type { ServerHealth } from './models';

/** Health REST facade. */
@Injectable({ providedIn: 'root' })
export class HealthApi {
  private readonly api = inject(Api);

  get(): Observable<ServerHealth> {
    return this.api.invoke(getHealth).pipe(map(toServerHealth));
  }
}
