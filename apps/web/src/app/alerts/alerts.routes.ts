import type { Routes } from '@angular/router';

/** /alerts (incident history, filterable by camera) and /alerts/:id (one alert: timeline, snapshot, resolve). */
export const ALERTS_ROUTES: Routes = [
  { path: '', title: 'Incidents · CrowdSafe', loadComponent: () => import('./alerts-history.page').then((m) => m.AlertsHistoryPage) },
  { path: ':id', title: 'Alert · CrowdSafe', loadComponent: () => import('./alert-detail.page').then((m) => m.AlertDetailPage) },
];
