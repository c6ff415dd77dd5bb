import type { FastifyInstance } from 'fastify';
import { complianceRoutes } from './compliance.js';
import { feedbackBulkRoutes } from './feedback-bulk.js';
import { clientRoutes } from './clients.js';
import { dataRoutes } from './data.js';
import { feedbackRoutes } from './feedback.js';
import { healthRoutes } from './health.js';
import { historyRoutes } from './history.js';
import { learningRoutes } from './learning.js';
import { modelRoutes } from './models.js';
import { offerRoutes } from './offers.js';
import { recommendationLoadRoutes } from './recommendations-load.js';
import { recommendationRoutes } from './recommendations.js';
import { runRoutes } from './runs.js';
import { segmentModelRoutes } from './segments-model.js';
import { segmentRoutes } from './segments.js';
import { sessionRoutes } from './session.js';
import { statsRoutes } from './stats.js';
import { userRoutes } from './users.js';

/** Every route, one file per resource; service-backed ones only when their service is given. */
export function registerRoutes(app: FastifyInstance): void {
  const s = app.services;
  healthRoutes(app);
  statsRoutes(app);
  feedbackRoutes(app);
  feedbackBulkRoutes(app);
  historyRoutes(app);
  userRoutes(app);
  sessionRoutes(app);
  recommendationRoutes(app);
  recommendationLoadRoutes(app);
  clientRoutes(app);
  dataRoutes(app);
  if (s.segments) segmentRoutes(app, s.segments);
  if (s.offers) offerRoutes(app, s.offers);
  complianceRoutes(app);
  if (s.models) modelRoutes(app, s.models);
  if (s.runs) runRoutes(app, s.runs);
  if (s.learning) learningRoutes(app, s.learning);
  if (s.segmentReports) segmentModelRoutes(app, s.segmentReports);
}
