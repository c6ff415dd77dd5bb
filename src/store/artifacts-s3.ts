/**
 * S3 artifact store (AWS S3, MinIO, Ceph…): the key `a/b.json` is the object `<prefix>/a/b.json`
 * in the bucket. A PutObject replaces an object atomically, so no temporary objects are needed.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { AppError } from '../errors.js';
import { assertArtifactKey, assertArtifactPrefix, bodyBytes, checkArtifactKey } from './artifact-keys.js';
import type { ArtifactStore } from './artifacts.js';

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Folder inside the bucket; leading and trailing `/` are ignored. Default: the bucket's root. */
  prefix?: string;
  region?: string;
  /** Endpoint of an S3-compatible service. Omitted: AWS S3. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most self-hosted services. */
  forcePathStyle?: boolean;
  /** Omitted: the AWS SDK default credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Keys per ListObjectsV2 page, 1–1000 (default 1000). */
  pageSize?: number;
}

function describeS3Error(e: unknown): string {
  if (e instanceof S3ServiceException) {
    const status = e.$metadata.httpStatusCode;
    const message =
      e.message !== '' && e.message !== e.name && e.message !== 'UnknownError' ? `: ${e.message}` : '';
    return `${e.name}${status === undefined ? '' : ` (HTTP ${status})`}${message}`;
  }
  if (e instanceof AggregateError && e.message === '' && e.errors.length > 0)
    return describeS3Error(e.errors[0]);
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return message !== '' ? message : typeof code === 'string' ? code : 'unknown error';
}

function isNotFound(e: unknown): boolean {
  return (
    e instanceof S3ServiceException &&
    (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata.httpStatusCode === 404) &&
    e.name !== 'NoSuchBucket'
  );
}

export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3' as const;
  readonly location: string;
  /** The SDK client, exposed for diagnostics and tests (e.g. adding middleware). */
  readonly client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #pageSize: number;

  constructor(options: S3ArtifactStoreOptions) {
    if (options.bucket === '')
      throw new AppError('CONFIG_INVALID', 'S3_BUCKET must not be empty for the S3 artifact store');
    const pageSize = options.pageSize ?? 1000;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new AppError(
        'ARGUMENT_INVALID',
        `S3 list page size must be an integer from 1 to 1000, got ${pageSize}`,
      );
    }
    const folder = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.#bucket = options.bucket;
    this.#prefix = folder === '' ? '' : `${folder}/`;
    this.#pageSize = pageSize;
    this.location = `s3://${options.bucket}/${this.#prefix}`;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      // Checksums only where S3 requires them: many S3-compatible services reject the
      // streaming checksum trailers the SDK would otherwise add to every upload.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    const objectKey = this.#objectKey(key);
    const bytes = bodyBytes(body);
    const type =
      contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: objectKey,
          Body: bytes,
          ContentType: type,
          ContentLength: bytes.length,
        }),
      );
    } catch (e) {
      throw this.#error('write', key, e);
    }
  }

  async get(key: string): Promise<Buffer> {
    const objectKey = this.#objectKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: objectKey }));
      if (out.Body === undefined) return Buffer.alloc(0);
      const bytes = await out.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (e) {
      if (isNotFound(e)) {
        throw new AppError('ARTIFACT_NOT_FOUND', `Artifact "${key}" not found in ${this.location}`, {
          cause: e,
        });
      }
      throw this.#error('read', key, e);
    }
  }

  async exists(key: string): Promise<boolean> {
    const objectKey = this.#objectKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: objectKey }));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw this.#error('check', key, e);
    }
  }

  async list(prefix = ''): Promise<string[]> {
    assertArtifactPrefix(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: this.#prefix + prefix,
            MaxKeys: this.#pageSize,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) {
          const key = object.Key?.slice(this.#prefix.length);
          // Objects other tools put under the prefix with names that are not keys are not artifacts.
          if (key !== undefined && checkArtifactKey(key) === undefined) keys.push(key);
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
        if (page.IsTruncated === true && token === undefined) {
          throw new Error('the listing is truncated but has no continuation token');
        }
      } while (token !== undefined);
    } catch (e) {
      throw new AppError(
        'ARTIFACT_STORE_ERROR',
        `Listing artifacts "${prefix}*" in ${this.location} failed: ${describeS3Error(e)}`,
        {
          cause: e,
        },
      );
    }
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.#objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: objectKey }));
    } catch (e) {
      if (isNotFound(e)) return;
      throw this.#error('delete', key, e);
    }
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }

  #objectKey(key: string): string {
    assertArtifactKey(key);
    return this.#prefix + key;
  }

  #error(action: string, key: string, e: unknown): AppError {
    return new AppError(
      'ARTIFACT_STORE_ERROR',
      `Cannot ${action} artifact "${key}" in ${this.location}: ${describeS3Error(e)}`,
      {
        cause: e,
      },
    );
  }
}
