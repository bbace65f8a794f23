import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import { Api, type CreateReportDto, type ReportDto, createReport, downloadReport$Pdf, downloadReport$VndOpenxmlformatsOfficedocumentSpreadsheetmlSheet, getReport, listReports } from '../../generated';

export type Report = ReportDto;
export type ReportRequest = CreateReportDto;

/** Reports (POST/GET /api/reports): queue, history, status, and the file as a Blob (the download needs the Bearer header). */
@Injectable({ providedIn: 'root' })
export class ReportsApi {
  private readonly api = inject(Api);

  create(req: ReportRequest): Observable<Report> {
    return this.api.invoke(createReport, { body: req }).pipe(map((r) => r.report));
  }

  list(limit = 50, offset = 0): Observable<{ items: Report[]; total: number }> {
    return this.api.invoke(listReports, { limit, offset });
  }

  get(id: string): Observable<Report> {
    return this.api.invoke(getReport, { id });
  }

  download(r: Report): Observable<Blob> {
    return r.format === 'pdf' ? this.api.invoke(downloadReport$Pdf, { id: r.id }) : this.api.invoke(downloadReport$VndOpenxmlformatsOfficedocumentSpreadsheetmlSheet, { id: r.id });
  }
}
