// The app's views, in navigation order. Add a view here and it gets a nav entry and a
// route (#/<id>); `badge` lets a view show a count in the nav.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { Dashboard } from './Dashboard';
import type { AppState } from '../store/store';

export interface ViewDef {
  id: string;
  title: string;
  component: ComponentType | LazyExoticComponent<ComponentType>;
  badge?: (s: AppState) => number;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'dashboard', title: 'Dashboard', component: Dashboard },
  {
    id: 'alerts',
    title: 'Alerts',
    component: lazy(() => import('./AlertsPage').then((m) => ({ default: m.AlertsPage }))),
    badge: (s) => s.alerts.reduce((n, a) => n + (a.state === 'firing' ? 1 : 0), 0),
  },
  { id: 'explorer', title: 'Explorer', component: lazy(() => import('./explorer/ExplorerView').then((m) => ({ default: m.Explorer }))) },
  { id: 'triage', title: 'Triage', component: lazy(() => import('./Triage').then((m) => ({ default: m.Triage }))) },
  { id: 'replay', title: 'Replay', component: lazy(() => import('./Replay').then((m) => ({ default: m.Replay }))) },
  { id: 'dead-letters', title: 'Dead letters', component: lazy(() => import('./DeadLetters').then((m) => ({ default: m.DeadLetters }))) },
  { id: 'settings', title: 'Settings', component: lazy(() => import('./Settings').then((m) => ({ default: m.Settings }))) },
];

export const DEFAULT_VIEW = 'dashboard';

export function findView(id: string): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0];
}
