import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { StartupError } from './errors';

export type AppLogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<AppLogLevel, LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/**
 * Nest's console logger at the configured level. Nest's ExceptionHandler logs any error thrown while the module
 * graph is built, stack included, before rethrowing it; anticipated startup problems (StartupError: bad
 * MODEL_PATH, unreachable database or Redis, missing video) are dropped here because main() prints them as one line.
 */
export class StartupAwareLogger extends ConsoleLogger {
  constructor(level: AppLogLevel, context?: string) {
    super(context ?? 'CrowdSafe', { logLevels: LEVELS[level] });
  }

  override error(message: unknown, ...rest: unknown[]): void {
    if (message instanceof StartupError) return;
    const stack = rest.find((r): r is string => typeof r === 'string' && r.includes('\n'));
    if (stack?.startsWith('StartupError')) return;
    super.error(message, ...rest);
  }
}
