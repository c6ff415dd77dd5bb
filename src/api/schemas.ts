/**
 * JSON schemas shared by the routes. They are inlined into each route's schema (no `$ref`), so
 * the OpenAPI document at `/openapi.json` is self-contained and each response is serialised by
 * fast-json-stringify.
 */

export const ID_SCHEMA = {
  type: ['string', 'integer'],
  pattern: '^[A-Za-z0-9_.:-]{1,64}$',
  minimum: 0,
  description: 'Client id: an integer, or 1–64 characters of A-Z a-z 0-9 _ . : -',
} as const;

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'request_id'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        request_id: { type: 'string' },
        details: {},
      },
    },
  },
} as const;

/** Error answers every authenticated route may give. */
export const ERROR_RESPONSES = {
  '4xx': {
    description: 'Client error (validation, authentication, permission, not found, lockout)',
    ...ERROR_SCHEMA,
  },
  '5xx': { description: 'Server error or dependency unavailable', ...ERROR_SCHEMA },
} as const;

export const RECOMMENDED_ITEM_SCHEMA = {
  type: 'object',
  required: ['product', 'score', 'reasons'],
  additionalProperties: false,
  properties: {
    product: { type: 'string' },
    score: { type: 'number' },
    reasons: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** What the decision policy excluded and why (`explain: true`; `src/decision`). */
export const EXCLUDED_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['product', 'rule', 'reason'],
    additionalProperties: false,
    properties: {
      product: { type: 'string' },
      channel: { type: 'string' },
      rule: { type: 'string', description: 'Stable rule code, e.g. AGE_OUT_OF_RANGE, CONTACT_LIMIT' },
      reason: { type: 'string' },
    },
  },
} as const;

export const EXPLAIN_SCHEMA = {
  type: 'boolean',
  default: false,
  description: 'List the products/channels the decision policy excluded, with the rule and reason',
} as const;

export const FEATURES_SCHEMA = {
  type: 'object',
  maxProperties: 500,
  propertyNames: { pattern: '^[A-Za-z0-9_]{1,64}$' },
  description: 'Client features by name (the layout of the monthly client snapshot)',
  // A type list, not anyOf: with type coercion on, ajv coerces only when no listed type matches.
  additionalProperties: { type: ['number', 'string', 'boolean', 'null'], maxLength: 1000 },
} as const;

export const K_SCHEMA = { type: 'integer', minimum: 1, maximum: 100, default: 7 } as const;

/** `from`/`to` query parameters: ISO dates or timestamps (checked further by `parseWindow`). */
export const DATE_QUERY = { type: 'string', maxLength: 40, description: 'ISO date or timestamp' } as const;

export const BASIC_AUTH = [{ basicAuth: [] }];
