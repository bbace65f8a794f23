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
  // Bounded scheme length: an unbounded `[a-z0-9+.-]*` backtracks quadratically on long strings (a DoS on 100 kB input).
  return text.replace(/([a-z][a-z0-9+.-]{0,31}:\/\/)([^/@\s]{1,1024})@/gi, '$1***@');
}
