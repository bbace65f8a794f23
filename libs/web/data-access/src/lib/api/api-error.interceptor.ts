import type { HttpInterceptorFn } from '@angular/common/http';
import { catchError, throwError } from 'rxjs';
import { toApiError } from './api-error';

/**
 * Functional interceptor: every failed HTTP call errors with an `ApiError` (status, safe message, code), so
 * pages never inspect `HttpErrorResponse` or server body shapes. Register it last (innermost) so that later
 * interceptors (auth refresh) still see the raw `HttpErrorResponse` (401) before it is normalised.
 */
export const apiErrorInterceptor: HttpInterceptorFn = (req, next) =>
  next(req).pipe(catchError((err: unknown) => throwError(() => toApiError(err))));
