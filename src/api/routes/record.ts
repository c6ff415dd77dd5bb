/** Recording an answering route's request and answer in the history (off the request path). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { toApiError } from '../error-handler.js';

let lastStartUs = 0;

/**
 * When a request started, `durationMs` before now, as an ISO instant with microseconds. Strictly
 * increasing within the process (bumped by 1 µs on a tie), so requests answered one after another
 * in the same millisecond keep their order in the history, which sorts newest first.
 */
export function startInstant(durationMs: number): string {
  let us = Math.round((performance.timeOrigin + performance.now() - durationMs) * 1000);
  if (us <= lastStartUs) us = lastStartUs + 1;
  lastStartUs = us;
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

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
    startedAt: startInstant(durationMs),
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
