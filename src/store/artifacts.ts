/**
 * Artifact store: named blobs (models, reports, datasets' side files) kept on the local filesystem
 * (`<data dir>/artifacts`, the default) or in an S3-compatible bucket (`S3_BUCKET` set). Both
 * implementations run the same test suite (`artifacts.suite.ts`) and behave alike:
 * - keys follow `artifact-keys.ts` (invalid keys throw `ARGUMENT_INVALID` naming the key);
 * - `put` replaces an existing artifact atomically: readers see the old or the new bytes;
 * - `get` of a missing key throws `ARTIFACT_NOT_FOUND`, `delete` of a missing key does nothing;
 * - `list(prefix)` returns every key starting with `prefix`, sorted, across all S3 pages;
 * - a key is a name, not a folder: `get('models')` does not find `models/x.json`;
 * - other failures of the backend throw `ARTIFACT_STORE_ERROR`.
 */
import path from 'node:path';
import { usesS3, type Config } from '../config.js';
import { AppError } from '../errors.js';
import { FsArtifactStore } from './artifacts-fs.js';
import { S3ArtifactStore, type S3ArtifactStoreOptions } from './artifacts-s3.js';

export {
  MAX_KEY_LENGTH,
  assertArtifactKey,
  assertArtifactPrefix,
  checkArtifactKey,
  checkArtifactPrefix,
} from './artifact-keys.js';
export { FsArtifactStore } from './artifacts-fs.js';
export { S3ArtifactStore, type S3ArtifactStoreOptions } from './artifacts-s3.js';

export type ArtifactStoreKind = 'fs' | 's3';

export interface ArtifactStore {
  readonly kind: ArtifactStoreKind;
  /** Where artifacts live, for messages: a directory or `s3://bucket/prefix/`. */
  readonly location: string;
  /** Writes (or replaces) an artifact. A string body is stored as UTF-8. */
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** The artifact's bytes; `AppError('ARTIFACT_NOT_FOUND')` when there is none. */
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Every key starting with `prefix` (default: all), sorted. */
  list(prefix?: string): Promise<string[]>;
  /** Removes an artifact; nothing happens when it does not exist. */
  delete(key: string): Promise<void>;
  /** Releases connections (S3); the store must not be used afterwards. */
  close(): Promise<void>;
}

/** Directory of the filesystem store for a configuration. */
export function artifactsDir(config: Config): string {
  return path.join(config.dataDir, 'artifacts');
}

/** S3 store settings from a configuration (`S3_*` variables). */
export function s3OptionsFromConfig(config: Config): S3ArtifactStoreOptions {
  if ((config.s3AccessKeyId === '') !== (config.s3SecretAccessKey === '')) {
    throw new AppError(
      'CONFIG_INVALID',
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or both left empty for the AWS default credentials)',
    );
  }
  return {
    bucket: config.s3Bucket,
    prefix: config.s3Prefix,
    region: config.s3Region,
    endpoint: config.s3Endpoint === '' ? undefined : config.s3Endpoint,
    forcePathStyle: config.s3ForcePathStyle,
    credentials:
      config.s3AccessKeyId === ''
        ? undefined
        : { accessKeyId: config.s3AccessKeyId, secretAccessKey: config.s3SecretAccessKey },
  };
}

/** The configured artifact store: S3 when a bucket is set, else files under `<data dir>/artifacts`. */
export function openArtifactStore(config: Config): ArtifactStore {
  return usesS3(config)
    ? new S3ArtifactStore(s3OptionsFromConfig(config))
    : new FsArtifactStore(artifactsDir(config));
}
