/** Recording an answering route's request and answer in the history (off the request path). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from '../error-handler.js';

export interface Recorded {
  clientIds: string[];
  offerIds?: string[];
  answer: unknown;
  status?: number;
  modelVersion?: string | null;
  sources?: Record<string, number>;
  /** Champion/challenger arm and experiment of the answer (see `src/learn/arms.ts`). */
  arm?: 'champion' | 'challenger' | 'mixed' | null;
  experiment?: string | null;
}

export function record(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  r: Recorded,
): void {
  const durationMs = reply.elapsedTime;
  app.history.enqueue({
    id: request.id,
    route: request.routeOptions.url ?? request.url,
    user: request.principal?.name ?? null,
    clientIds: r.clientIds,
    offerIds: r.offerIds ?? [],
    request: request.body ?? null,
    answer: r.answer,
    status: r.status ?? 200,
    startedAt: new Date(Date.now() - durationMs).toISOString(),
    durationMs,
    modelVersion: r.modelVersion ?? null,
    sources: r.sources ?? {},
    arm: r.arm ?? null,
    experiment: r.experiment ?? null,
  });
}

/** Records a failed answer (the error body the client gets), then rethrows. */
export function recordFailure(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  clientIds: string[],
  e: unknown,
): never {
  const err = toApiError(e);
  record(app, request, reply, {
    clientIds,
    answer: { error: { code: err.code, message: err.message } },
    status: err.status,
  });
  throw e;
}
