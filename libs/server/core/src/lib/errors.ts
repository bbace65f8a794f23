/**
 * An error that must stop the process at startup with one clear line (bad MODEL_PATH, missing video,
 * unreachable database...). main() prints `message` (and `hint` when present) without a stack trace.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Remove credentials from a URL-ish string before it reaches a log line, an error or an API response. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/gi, '$1***@');
}
