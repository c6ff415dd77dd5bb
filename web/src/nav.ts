/** The pages of the app, their paths, their navigation label and the permission they need. */
import type { COMMON } from './i18n';

export interface NavItem {
  path: string;
  label: keyof typeof COMMON.ru;
  /** Permission of the role needed to open the page (see src/api/auth/roles.ts). */
  permission: string;
}

export const NAV: readonly NavItem[] = [
  { path: '/', label: 'navOverview', permission: 'stats.read' },
  { path: '/history', label: 'navHistory', permission: 'history.read' },
  { path: '/client', label: 'navClient', permission: 'clients.read' },
  { path: '/playground', label: 'navPlayground', permission: 'recommend' },
  { path: '/segments', label: 'navSegments', permission: 'segments.read' },
  { path: '/data', label: 'navData', permission: 'data.read' },
  { path: '/experiments', label: 'navExperiments', permission: 'models.read' },
  { path: '/users', label: 'navUsers', permission: 'users.manage' },
];
