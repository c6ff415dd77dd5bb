/**
 * What each role may do. Routes name one permission (`config.permission`); a route without one
 * is open to every authenticated user (`/openapi.json`, `/docs`).
 */
import type { Role } from '../../store/users.js';

export const PERMISSIONS = [
  'recommend', // POST /v1/recommendations, /v1/recommendations/online, /v1/segments/assign, /v1/offers
  'feedback.write', // POST /v1/feedback
  'history.read', // GET /v1/history
  'stats.read', // GET /v1/stats
  'models.read', // GET /v1/models, GET /v1/runs
  'models.write', // POST /v1/models/:name/promote, /rollback
  'recommendations.load', // POST /v1/recommendations/load
  'users.manage', // /v1/users
  'segments.read', // GET /v1/segments/model
  'clients.read', // GET /v1/clients/:id
  'data.read', // GET /v1/data/eda
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  api: ['recommend', 'feedback.write'],
  operator: ['recommend', 'feedback.write', 'history.read', 'segments.read', 'clients.read', 'data.read'],
  analyst: ['history.read', 'stats.read', 'models.read', 'segments.read', 'clients.read', 'data.read'],
  admin: PERMISSIONS,
};

export function allowed(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
