import type { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Live · CrowdSafe',
    loadComponent: () => import('./live/live.page').then((m) => m.LivePage),
  },
  { path: '**', redirectTo: '' },
];
