/** What a retention job deletes. */
export type RetentionKind = 'metrics' | 'logs' | 'crossings';

/**
 * How many days of each kind of data to keep, read by the retention jobs at every run (so a change applies from the
 * next run, without a restart). Implemented by the settings module (`system.*RetentionDays`); a job without a
 * provider falls back to its configured value.
 */
export abstract class RetentionPolicy {
  abstract days(kind: RetentionKind): number;
}
