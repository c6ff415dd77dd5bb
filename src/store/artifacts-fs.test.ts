/**
 * The artifact-store contract on the filesystem, plus what only the filesystem store has: atomic
 * replacement through temporary files, and files of other tools that are not artifacts.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import {
  FsArtifactStore,
  S3ArtifactStore,
  artifactsDir,
  openArtifactStore,
  s3OptionsFromConfig,
} from './artifacts.js';
import { defineArtifactStoreSuite } from './artifacts.suite.js';

const tempDir = (): Promise<string> => mkdtemp(path.join(tmpdir(), 'nextoffer-artifacts-'));

defineArtifactStoreSuite('filesystem', 'fs', async () => {
  const root = await tempDir();
  const store = new FsArtifactStore(path.join(root, 'artifacts'));
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

describe('FsArtifactStore on disk', () => {
  let root: string;
  let store: FsArtifactStore;
  beforeEach(async () => {
    root = await tempDir();
    store = new FsArtifactStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps each key as a file under the root and leaves no temporary files', async () => {
    await store.put('models/reco/0001/model.bin', Buffer.from([1, 2, 3]));
    expect(await readFile(path.join(root, 'models', 'reco', '0001', 'model.bin'))).toEqual(
      Buffer.from([1, 2, 3]),
    );
    expect(await readdir(path.join(root, 'models', 'reco', '0001'))).toEqual(['model.bin']);
    expect(store.location).toBe(path.resolve(root));
  });

  it('replaces atomically: concurrent writers leave one complete version', async () => {
    const versions = Array.from({ length: 12 }, (_, i) => Buffer.alloc(50_000 + i * 1000, i));
    await Promise.all(versions.map((v) => store.put('race.bin', v)));
    const result = await store.get('race.bin');
    expect(versions.some((v) => v.equals(result))).toBe(true);
    expect(await readdir(root)).toEqual(['race.bin']);
  });

  it('ignores leftovers of interrupted writes and files that are not artifacts', async () => {
    await store.put('models/m.json', 'complete');
    await writeFile(path.join(root, 'models', '.m.json.0a1b2c~'), 'half a wri');
    await writeFile(path.join(root, 'models', 'README.TXT'), 'not an artifact');
    await mkdir(path.join(root, 'Foreign'), { recursive: true });
    await writeFile(path.join(root, 'Foreign', 'x.json'), '{}');
    expect(await store.list()).toEqual(['models/m.json']);
    expect((await store.get('models/m.json')).toString()).toBe('complete');
  });

  it('reports a key whose folder is a file as a store error, not as a missing artifact', async () => {
    await store.put('a', 'file');
    const error = await store.put('a/b', 'x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ARTIFACT_STORE_ERROR');
    expect((error as AppError).message).toMatch(/Cannot write artifact "a\/b"/);
    expect(await store.list()).toEqual(['a']);
  });
});

describe('openArtifactStore', () => {
  it('uses <data dir>/artifacts when no bucket is configured', async () => {
    const config = loadConfig({ NEXTOFFER_DATA_DIR: '/srv/nextoffer' });
    const store = openArtifactStore(config);
    expect(store).toBeInstanceOf(FsArtifactStore);
    expect(store.location).toBe(path.resolve('/srv/nextoffer/artifacts'));
    expect(artifactsDir(config)).toBe(path.resolve('/srv/nextoffer/artifacts'));
    await store.close();
  });

  it('uses S3 when a bucket is configured, with the S3_* settings', async () => {
    const config = loadConfig({
      S3_BUCKET: 'models',
      S3_PREFIX: '/prod/nextoffer/',
      S3_ENDPOINT: 'http://minio:9000',
    });
    const store = openArtifactStore(config);
    expect(store).toBeInstanceOf(S3ArtifactStore);
    expect(store.location).toBe('s3://models/prod/nextoffer/');
    await store.close();
    expect(s3OptionsFromConfig(config)).toMatchObject({
      bucket: 'models',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: undefined,
    });
  });

  it('refuses half-configured S3 credentials', () => {
    const config = loadConfig({ S3_BUCKET: 'models', S3_ACCESS_KEY_ID: 'AKIA' });
    expect(() => openArtifactStore(config)).toThrow(
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/,
    );
  });
});
