import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

/**
 * Operations variables (logs, the Prometheus endpoint, reports, backups; owner libs/server/observability,
 * libs/server/reports, libs/server/backup). EnvSchema extends this class, so they are part of the one schema.
 */
export class OpsEnvSchema {
  /** Log lines: text (a terminal, the default) or json (one pino object per line, for a log collector). */
  @IsIn(['text', 'json'])
  LOG_FORMAT: 'text' | 'json' = 'text';

  /** Serve GET /metrics (Prometheus text format). */
  @Transform(toBool) @IsBoolean()
  METRICS_ENDPOINT_ENABLED = true;

  /** Bearer token Prometheus must send to /metrics (authorization: Bearer <token>); empty = no token asked. */
  @IsString() @Matches(/^(|[\x21-\x7e]{16,256})$/, { message: 'METRICS_TOKEN must be empty or 16-256 printable characters without spaces' })
  METRICS_TOKEN = '';

  /** Comma-separated IPs/CIDRs (or loopback/linklocal/uniquelocal) allowed to scrape /metrics; empty = any address (then METRICS_TOKEN is required). */
  @IsString() @MaxLength(4096) @Matches(/^[0-9A-Za-z.:/,\s]*$/, {
    message: 'METRICS_ALLOWED_NETWORKS must be a comma-separated list of IPs, CIDRs or loopback/linklocal/uniquelocal',
  })
  METRICS_ALLOWED_NETWORKS = 'loopback';

  /** Generated reports are kept this many days (files in DATA_DIR/reports and their rows). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  REPORT_RETENTION_DAYS = 90;

  /** Comma-separated email addresses that get the daily summary (PDF) every day; empty = not sent. Needs SMTP_*. */
  @IsString() @MaxLength(4096)
  REPORT_DAILY_EMAIL_TO = '';

  /** Hour of day (server local time) at which the previous day's summary is generated and mailed. */
  @Type(() => Number) @IsInt() @Min(0) @Max(23)
  REPORT_DAILY_EMAIL_HOUR = 6;

  /** Directory for ./crowdsafe backup and scheduled backups; empty = DATA_DIR/backups. */
  @IsString() @MaxLength(1024)
  BACKUP_DIR = '';

  /** Scheduled backups every N hours from the api (0 = off). */
  @Type(() => Number) @IsInt() @Min(0) @Max(8760)
  BACKUP_INTERVAL_HOURS = 0;

  /** Newest backups kept in BACKUP_DIR (older ones are deleted after each backup). */
  @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  BACKUP_KEEP = 7;
}
