/**
 * Artifact keys: `/`-separated paths of lower-case letters, digits, `.`, `_` and `-`, such as
 * `models/reco/0003/model.json`. The same rules hold for every store, so a key valid on the
 * filesystem is valid on S3 and cannot escape the store's root.
 */
import { AppError } from '../errors.js';

/** Longest key accepted (S3 allows 1024 bytes including the configured prefix). */
export const MAX_KEY_LENGTH = 512;

const CHARS = /^[a-z0-9._\-/]*$/;

function segmentProblems(segments: readonly string[]): string | undefined {
  for (const s of segments) {
    if (s === '') return 'it has an empty segment (leading, trailing or doubled "/")';
    if (s === '.') return 'it has a "." segment';
  }
  return undefined;
}

function commonProblems(value: string): string | undefined {
  if (value.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters`;
  if (!CHARS.test(value)) return 'only a-z, 0-9, ".", "_", "-" and "/" are allowed';
  if (value.startsWith('/')) return 'it must not start with "/"';
  if (value.includes('..')) return 'it must not contain ".."';
  return undefined;
}

/** Why `key` is not a valid artifact key, or `undefined` when it is. */
export function checkArtifactKey(key: string): string | undefined {
  if (key === '') return 'it is empty';
  return commonProblems(key) ?? segmentProblems(key.split('/'));
}

/** Throws `AppError('ARGUMENT_INVALID')` naming the key unless it is valid. */
export function assertArtifactKey(key: string): void {
  const problem = typeof key === 'string' ? checkArtifactKey(key) : 'it is not a string';
  if (problem !== undefined) {
    throw new AppError('ARGUMENT_INVALID', `Invalid artifact key ${JSON.stringify(key)}: ${problem}`);
  }
}

/**
 * Why `prefix` is not a valid listing prefix, or `undefined`. A prefix is a key's beginning: empty
 * (everything), a folder (`models/`) or part of a name (`models/re`).
 */
export function checkArtifactPrefix(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const problem = commonProblems(prefix);
  if (problem !== undefined) return problem;
  const segments = prefix.split('/');
  return segmentProblems(prefix.endsWith('/') ? segments.slice(0, -1) : segments);
}

/** Throws `AppError('ARGUMENT_INVALID')` naming the prefix unless it is valid. */
export function assertArtifactPrefix(prefix: string): void {
  const problem = typeof prefix === 'string' ? checkArtifactPrefix(prefix) : 'it is not a string';
  if (problem !== undefined) {
    throw new AppError('ARGUMENT_INVALID', `Invalid artifact prefix ${JSON.stringify(prefix)}: ${problem}`);
  }
}

/** Bytes of a body: strings are encoded as UTF-8; a Buffer is used as is, other views are wrapped. */
export function bodyBytes(body: Uint8Array | string): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new AppError('ARGUMENT_INVALID', 'An artifact body must be a Uint8Array or a string');
}
