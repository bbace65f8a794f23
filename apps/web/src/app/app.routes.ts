import type { Routes } from '@angular/router';
import { ROUTE_ROLES, authGuard, guestGuard, roleGuard, signedInGuard } from '@crowdsafe/web-data-access';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · CrowdSafe',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/login.page').then((m) => m.LoginPage),
  },
  {
    path: 'change-password',
    title: 'Change password · CrowdSafe',
    canActivate: [signedInGuard],
    loadComponent: () => import('./auth/change-password.page').then((m) => m.ChangePasswordPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Dashboard · CrowdSafe',
        loadComponent: () => import('./dashboard/dashboard.page').then((m) => m.DashboardPage),
      },
      {
        path: 'cameras/:id/live',
        title: 'Camera · CrowdSafe',
        loadComponent: () => import('./camera-view/camera-view.page').then((m) => m.CameraViewPage),
      },
      { path: 'recordings', title: 'Recordings · CrowdSafe', data: { title: 'Recordings' }, loadComponent: () => import('./recordings/recordings.page').then((m) => m.RecordingsPage) },
      { path: 'alerts', data: { title: 'Incidents' }, loadChildren: () => import('./alerts/alerts.routes').then((m) => m.ALERTS_ROUTES) },
      { path: 'forbidden', title: 'Not allowed · CrowdSafe', loadComponent: () => import('./shell/forbidden.page').then((m) => m.ForbiddenPage) },

      // ---- E2's pages (keep the `data` roles: the nav and roleGuard read them) ----
      { path: 'analytics', title: 'Analytics · CrowdSafe', data: { title: 'Analytics' }, loadComponent: () => import('./analytics/analytics.page').then((m) => m.AnalyticsPage) },
      { path: 'cameras', data: { title: 'Cameras' }, loadChildren: () => import('./cameras/cameras.routes').then((m) => m.CAMERAS_ROUTES) },
      { path: 'settings', title: 'Settings · CrowdSafe', data: { title: 'Settings' }, loadComponent: () => import('./settings/settings.page').then((m) => m.SettingsPage) },
      {
        path: 'users',
        title: 'Users · CrowdSafe',
        canActivate: [roleGuard],
        data: { title: 'Users', [ROUTE_ROLES]: ['admin'] },
        loadComponent: () => import('./users/users.page').then((m) => m.UsersPage),
      },
      {
        path: 'system',
        title: 'System · CrowdSafe',
        canActivate: [roleGuard],
        data: { title: 'System', [ROUTE_ROLES]: ['admin'] },
        loadComponent: () => import('./system/system.page').then((m) => m.SystemPage),
      },
      // ---- end of E2's pages ----
      { path: 'reports', title: 'Reports · CrowdSafe', data: { title: 'Reports' }, loadComponent: () => import('./reports/reports.page').then((m) => m.ReportsPage) },
    ],
  },
  { path: '**', redirectTo: '' },
];
