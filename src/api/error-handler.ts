/**
 * The one error handler of the API: every failure becomes `{error: {code, message, request_id,
 * details?}}` with the status of its `AppError` code. Fastify's own errors (validation, body
 * parsing, limits) are mapped to codes; anything else is a 500 `INTERNAL_ERROR` whose message is
 * logged, not sent.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorCode } from '../errors.js';

interface ApiError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'INPUT_UNSUPPORTED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
};

function isConnectionFailure(e: AppError): boolean {
  let cur: unknown = e.cause;
  for (let i = 0; i < 5 && cur instanceof Error; i++) {
    const code = (cur as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (/^08/.test(code) || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[1-3])$/.test(code))
    )
      return true;
    cur = cur.cause;
  }
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
    e.message,
  );
}

export function toApiError(e: unknown): ApiError {
  if (isAppError(e)) {
    if (e.code === 'DB_ERROR' && isConnectionFailure(e))
      return {
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The database is unreachable; retry later',
      };
    // A DB_ERROR's message carries the SQL it ran (db-common.ts queryError): logged, never sent.
    if (e.code === 'DB_ERROR')
      return {
        status: e.status,
        code: e.code,
        message: 'Database error; the request id identifies it in the server log',
      };
    return { status: e.status, code: e.code, message: e.message, details: e.details };
  }
  const fe = e as Partial<FastifyError> & { validation?: unknown };
  if (fe.validation) {
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: fe.message ?? 'invalid request',
      details: fe.validation,
    };
  }
  if (fe.code && FASTIFY_CODES[fe.code]) {
    return { status: fe.statusCode ?? 400, code: FASTIFY_CODES[fe.code], message: fe.message ?? fe.code };
  }
  if (
    e instanceof SyntaxError ||
    (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500)
  ) {
    return { status: fe.statusCode ?? 400, code: 'VALIDATION_FAILED', message: fe.message ?? 'bad request' };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Internal error; the request id identifies it in the server log',
  };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, e: unknown): FastifyReply {
  const err = toApiError(e);
  if (err.status >= 500) request.log.error({ err: e }, isAppError(e) ? e.message : err.message);
  else request.log.info({ code: err.code }, err.message);
  // Not for the web UI's requests (X-Requested-With): the browser would show its own login dialog.
  if (err.status === 401 && request.headers['x-requested-with'] === undefined)
    reply.header('www-authenticate', 'Basic realm="nextoffer", charset="UTF-8"');
  if (err.code === 'AUTH_LOCKED') {
    const d = err.details as { retry_after_seconds?: number } | undefined;
    if (d?.retry_after_seconds) reply.header('retry-after', String(d.retry_after_seconds));
  }
  const body: { code: ErrorCode; message: string; request_id: string; details?: unknown } = {
    code: err.code,
    message: err.message,
    request_id: request.id,
  };
  if (err.details !== undefined) body.details = err.details;
  return reply.status(err.status).type('application/json; charset=utf-8').send({ error: body });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((e, request, reply) => sendError(request, reply, e));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
