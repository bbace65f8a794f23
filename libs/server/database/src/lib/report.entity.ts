import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import type { DatabaseDialect, JsonObject } from './records';

/** Report kinds (spec 5.3) and file formats. */
export const REPORT_TYPES = ['daily', 'weekly', 'incident', 'custom'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
export const REPORT_FORMATS = ['pdf', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_ENTITY = 'Report';

/** One generated (or generating) report; the file is DATA_DIR/reports/<fileName>. */
export interface ReportRecord {
  id: string;
  type: ReportType;
  format: ReportFormat;
  status: ReportStatus;
  /** 0..100 */
  progress: number;
  title: string;
  /** { cameraIds, from, to, alertId } as resolved at creation (ISO times). */
  params: JsonObject;
  fileName: string | null;
  sizeBytes: number | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const toNumber = { to: (v: unknown) => v, from: (v: unknown) => (v === null || v === undefined ? v : Number(v)) };

/** The `reports` table (libs/server/reports), for both dialects. */
export function createReportEntity(dialect: DatabaseDialect): EntitySchema<ReportRecord> {
  const pg = dialect === 'postgres';
  const uuid = (o: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => (pg ? { type: 'uuid', ...o } : { type: 'varchar', length: 36, ...o });
  const ts = (o: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({ type: pg ? 'timestamptz' : 'datetime', ...o });
  const inCheck = (column: string, values: readonly string[]) => ({ name: `CHK_reports_${column}`, expression: `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})` });
  return new EntitySchema<ReportRecord>({
    name: REPORT_ENTITY,
    tableName: 'reports',
    columns: {
      id: { ...uuid(), primary: true, generated: 'uuid', primaryKeyConstraintName: 'PK_reports' },
      type: { type: 'varchar', length: 16 },
      format: { type: 'varchar', length: 8 },
      status: { type: 'varchar', length: 16, default: 'queued' },
      progress: { type: 'smallint', default: 0 },
      title: { type: 'varchar', length: 200 },
      params: { type: pg ? 'jsonb' : 'json' },
      fileName: { type: 'varchar', length: 255, name: 'file_name', nullable: true },
      sizeBytes: { type: 'bigint', name: 'size_bytes', nullable: true, transformer: toNumber },
      error: { type: 'text', nullable: true },
      createdBy: uuid({ name: 'created_by', nullable: true, foreignKey: { target: 'User', name: 'FK_reports_created_by', onDelete: 'SET NULL' } }),
      createdAt: ts({ name: 'created_at', createDate: true }),
      startedAt: ts({ name: 'started_at', nullable: true }),
      finishedAt: ts({ name: 'finished_at', nullable: true }),
    },
    indices: [{ name: 'IDX_reports_created_at', columns: ['createdAt'] }],
    checks: [inCheck('type', REPORT_TYPES), inCheck('format', REPORT_FORMATS), inCheck('status', REPORT_STATUSES)],
  });
}
