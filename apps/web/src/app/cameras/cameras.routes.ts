import type { Routes } from '@angular/router';

export const CAMERAS_ROUTES: Routes = [
  { path: '', title: 'Cameras · CrowdSafe', loadComponent: () => import('./camera-list.page').then((m) => m.CameraListPage) },
  { path: 'new', title: 'Add camera · CrowdSafe', loadComponent: () => import('./camera-wizard.page').then((m) => m.CameraWizardPage) },
  {
    path: ':id/calibration',
    title: 'Calibration · CrowdSafe',
    loadComponent: () => import('./calibration.page').then((m) => m.CalibrationPage),
  },
];
