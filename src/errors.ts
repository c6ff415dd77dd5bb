/** Every failure nextoffer reports to a user goes through this one class. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNSUPPORTED'
  | 'INPUT_CORRUPT'
  | 'HEADER_MISMATCH'
  | 'INGEST_FAILED'
  | 'DATASET_NOT_FOUND'
  | 'DATASET_CONFLICT'
  | 'ARGUMENT_INVALID'
  | 'DB_ERROR'
  | 'MIGRATION_FAILED'
  | 'ARTIFACT_NOT_FOUND'
  | 'ARTIFACT_STORE_ERROR'
  | 'NOT_FITTED'
  | 'CATALOG_INVALID'
  | 'COMPLIANCE_VIOLATION'
  | 'OFFER_NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'AUTH_LOCKED'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'HISTORY_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR'
  | 'MODEL_NOT_FOUND'
  | 'RUN_NOT_FOUND'
  | 'CLIENT_NOT_FOUND'
  | 'TRACKING_FAILED'
  | 'POLICY_INVALID';

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  INPUT_NOT_FOUND: 404,
  INPUT_UNSUPPORTED: 415,
  INPUT_CORRUPT: 422,
  HEADER_MISMATCH: 422,
  INGEST_FAILED: 500,
  DATASET_NOT_FOUND: 404,
  DATASET_CONFLICT: 409,
  ARGUMENT_INVALID: 400,
  DB_ERROR: 500,
  MIGRATION_FAILED: 500,
  ARTIFACT_NOT_FOUND: 404,
  ARTIFACT_STORE_ERROR: 502,
  NOT_FITTED: 500,
  CATALOG_INVALID: 422,
  COMPLIANCE_VIOLATION: 422,
  OFFER_NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  AUTH_LOCKED: 429,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  HISTORY_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  MODEL_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  CLIENT_NOT_FOUND: 404,
  TRACKING_FAILED: 502,
  POLICY_INVALID: 422,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Structured findings (e.g. `{ line, field, message }` per bad input line), returned to API clients. */
  readonly details?: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; details?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? DEFAULT_STATUS[code];
    if (options.details !== undefined) this.details = options.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Message of any thrown value, for wrapping foreign errors. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${String(x)}`);
}
