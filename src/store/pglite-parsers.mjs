// @ts-check
/**
 * Type parsers that make PGlite return what the pg adapter returns (see `db.ts`), shared by the
 * in-process adapter and the worker thread (`pglite-thread-worker.mjs`).
 */
import { Buffer } from 'node:buffer';

/** PostgreSQL type oids whose parsing the adapters align. */
export const OID = Object.freeze({
  bytea: 17,
  int8: 20,
  date: 1082,
  textArray: 1009,
  int8Array: 1016,
  dateArray: 1182,
});

/**
 * `int8` text → `number`, or a JS `bigint` when the value is beyond ±(2^53 − 1).
 * @param {string} text
 * @returns {number | bigint}
 */
export function parseInt8(text) {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/**
 * `date` text stays `'YYYY-MM-DD'`: no time zone is invented for a calendar day.
 * @param {string} text
 */
export function parseDate(text) {
  return text;
}

/**
 * `bytea` in hex output format (`\x0102…`) → `Buffer`.
 * @param {string} text
 */
export function parseBytea(text) {
  return Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex');
}

/** @type {Record<number, (text: string) => unknown>} */
export const PGLITE_PARSERS = {
  [OID.int8]: parseInt8,
  [OID.date]: parseDate,
  [OID.bytea]: parseBytea,
};
