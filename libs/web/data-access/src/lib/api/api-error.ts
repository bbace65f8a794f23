import { HttpErrorResponse } from '@angular/common/http';

/** The one error shape every REST call surfaces to pages (produced by `apiErrorInterceptor`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached (network error, CORS, aborted). */
    readonly status: number,
    /** Human-readable, safe to show to an operator. */
    message: string,
    /** Short machine code: the server's `error` field (e.g. "Not Found") or `network`. */
    readonly code: string,
    readonly url: string | null,
    /** Validation messages etc. when the server sent several. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

interface ServerErrorBody {
  statusCode?: unknown;
  message?: unknown;
  error?: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'The request was rejected',
  401: 'Please sign in again',
  403: 'You are not allowed to do this',
  404: 'Not found',
  408: 'The server took too long to answer',
  429: 'Too many requests; try again shortly',
  500: 'The server failed to handle the request',
  502: 'The server is unreachable (bad gateway)',
  503: 'The service is temporarily unavailable',
  504: 'The server took too long to answer (gateway timeout)',
};

/** Normalises anything thrown by HttpClient (NestJS `{statusCode, message, error}` bodies included) to `ApiError`. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HttpErrorResponse) {
    if (err.status === 0) {
      return new ApiError(0, 'Cannot reach the CrowdSafe server', 'network', err.url);
    }
    const body = parseBody(err.error);
    const messages = Array.isArray(body?.message)
      ? body.message.filter((m): m is string => typeof m === 'string')
      : typeof body?.message === 'string'
        ? [body.message]
        : [];
    const code = typeof body?.error === 'string' ? body.error : err.statusText || `HTTP ${err.status}`;
    const message = messages[0] ?? STATUS_TEXT[err.status] ?? `Request failed (HTTP ${err.status})`;
    return new ApiError(err.status, message, code, err.url, messages);
  }
  if (err instanceof Error) return new ApiError(0, err.message, 'client', null);
  return new ApiError(0, 'Unexpected error', 'client', null);
}

function parseBody(raw: unknown): ServerErrorBody | null {
  if (raw && typeof raw === 'object') return raw as ServerErrorBody;
  if (typeof raw === 'string' && raw.startsWith('{')) {
    try {
      return JSON.parse(raw) as ServerErrorBody;
    } catch {
      return null;
    }
  }
  return null;
}
