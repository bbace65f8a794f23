import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import type { OpsEnvSchema } from './ops.env';

/** Logs, the Prometheus endpoint, reports and backups. */
export interface OpsConfig {
  logFormat: 'text' | 'json';
  metricsEndpoint: { enabled: boolean; token: string | null; allowedNetworks: string[] };
  reports: { dir: string; retentionDays: number; dailyEmailTo: string[]; dailyEmailHour: number };
  backup: { dir: string; intervalHours: number; keep: number };
}

const NAMED = ['loopback', 'linklocal', 'uniquelocal'];
const isNetwork = (p: string): boolean => {
  if (NAMED.includes(p)) return true;
  const [addr = '', bits, ...rest] = p.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
const EMAIL = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;

/** The `ops` section of AppConfig and the problems found (each naming its variable). */
export function buildOpsConfig(e: OpsEnvSchema, dataDir: string, cwd: string): { config: OpsConfig; problems: string[] } {
  const problems: string[] = [];
  const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
  const networks = list(e.METRICS_ALLOWED_NETWORKS);
  const badNets = networks.filter((n) => !isNetwork(n));
  if (badNets.length) problems.push(`METRICS_ALLOWED_NETWORKS: not an IP, CIDR or loopback/linklocal/uniquelocal: ${badNets.join(', ').slice(0, 200)}`);
  if (e.METRICS_ENDPOINT_ENABLED && !networks.length && !e.METRICS_TOKEN) {
    problems.push('METRICS_ALLOWED_NETWORKS is empty and METRICS_TOKEN is not set: /metrics would be open to anyone (set one, or METRICS_ENDPOINT_ENABLED=false)');
  }
  const to = list(e.REPORT_DAILY_EMAIL_TO);
  const badTo = to.filter((a) => !EMAIL.test(a) || a.length > 254);
  if (badTo.length) problems.push(`REPORT_DAILY_EMAIL_TO: not an email address: ${badTo.join(', ').slice(0, 200)}`);
  if (to.length > 50) problems.push('REPORT_DAILY_EMAIL_TO: at most 50 addresses');
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    problems,
    config: {
      logFormat: e.LOG_FORMAT,
      metricsEndpoint: { enabled: e.METRICS_ENDPOINT_ENABLED, token: e.METRICS_TOKEN || null, allowedNetworks: networks },
      reports: { dir: join(dataDir, 'reports'), retentionDays: e.REPORT_RETENTION_DAYS, dailyEmailTo: to, dailyEmailHour: e.REPORT_DAILY_EMAIL_HOUR },
      backup: { dir: e.BACKUP_DIR.trim() ? abs(e.BACKUP_DIR.trim()) : join(dataDir, 'backups'), intervalHours: e.BACKUP_INTERVAL_HOURS, keep: e.BACKUP_KEEP },
    },
  };
}
