/** Socket.io event (namespace /live) with a report job's progress; also readable with GET /api/reports/{id}. */
export const REPORT_PROGRESS_EVENT = 'report_progress';

export interface ReportProgressEvent {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** 0..100 */
  progress: number;
  error?: string;
}
