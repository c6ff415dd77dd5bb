/**
 * The artifact-store contract on S3, through the AWS SDK against s3rver (a fake S3 server started
 * here on a free port with a temporary directory). Listing uses pages of 2 keys so that every
 * listing test crosses page boundaries.
 *
 * s3rver 3.7 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers
 * through its legacy provider (jamhall/s3rver#818). So s3rver runs in a child Node process started
 * with --openssl-legacy-provider; it exits when the test process closes its stdin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/errors.js';
import { S3ArtifactStore, openArtifactStore, type S3ArtifactStoreOptions } from '../src/store/artifacts.js';
import { MANY_KEYS, defineArtifactStoreSuite } from '../src/store/artifacts.suite.js';

const BUCKET = 'nextoffer-test';
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_SCRIPT = `
  const S3rver = require('s3rver');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[1] });
  server.run().then(
    (address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'),
    (error) => { console.error(error); process.exit(1); },
  );
  process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
  process.stdin.resume();
`;
let server: ChildProcess;
let directory: string;
let endpoint = '';
let runs = 0;

const storeOptions = (prefix: string): S3ArtifactStoreOptions => ({
  bucket: BUCKET,
  prefix,
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  pageSize: 2,
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** The port s3rver reports on its first line of output. */
async function serverPort(child: ChildProcess): Promise<number> {
  let output = '';
  const failed = once(child, 'exit').then(([code]) => {
    throw new Error(`s3rver exited with code ${String(code)} before listening: ${output}`);
  });
  const listening = new Promise<number>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return Promise.race([listening, failed]);
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'nextoffer-s3rver-'));
  server = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, directory], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  endpoint = `http://127.0.0.1:${await serverPort(server)}`;
  const setup = new S3ArtifactStore(storeOptions(''));
  await setup.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await setup.close();
});

afterAll(async () => {
  if (server.exitCode === null) {
    const exited = once(server, 'exit');
    server.stdin?.end();
    await exited;
  }
  await rm(directory, { recursive: true, force: true });
});

defineArtifactStoreSuite('S3 (s3rver)', 's3', () => {
  const prefix = `run-${++runs}`;
  const store = new S3ArtifactStore(storeOptions(prefix));
  return Promise.resolve({
    store,
    dispose: async () => {
      const keys = await store.list();
      if (keys.length > 0) {
        await store.client.send(
          new DeleteObjectsCommand({
            Bucket: BUCKET,
            Delete: { Objects: keys.map((k) => ({ Key: `${prefix}/${k}` })) },
          }),
        );
      }
      await store.close();
    },
  });
});

describe('S3ArtifactStore on s3rver', () => {
  it('follows continuation tokens: 7 keys in pages of 2 take 4 requests', async () => {
    const store = new S3ArtifactStore(storeOptions('pages'));
    let listRequests = 0;
    store.client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'ListObjectsV2Command') listRequests++;
        return next(args);
      },
      { step: 'initialize', name: 'countListRequests' },
    );
    await Promise.all(MANY_KEYS.map((key) => store.put(key, key)));
    expect(await store.list('many/')).toEqual(MANY_KEYS);
    expect(listRequests).toBe(4);
    await store.close();
  });

  it('stores objects under the prefix with their content type', async () => {
    const store = new S3ArtifactStore({ ...storeOptions('/deploy/prod/'), pageSize: 1000 });
    expect(store.location).toBe(`s3://${BUCKET}/deploy/prod/`);
    await store.put('models/m.json', '{"v":1}', 'application/json');
    await store.put('models/m.bin', new Uint8Array([1]));
    const raw = await store.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'deploy/' }));
    expect(raw.Contents?.map((o) => o.Key).sort()).toEqual([
      'deploy/prod/models/m.bin',
      'deploy/prod/models/m.json',
    ]);
    const head = await store.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'deploy/prod/models/m.json' }),
    );
    expect(head.ContentType).toBe('application/json');
    expect(await store.list()).toEqual(['models/m.bin', 'models/m.json']);
    await store.close();
  });

  it('is chosen by openArtifactStore from the S3_* configuration', async () => {
    const config = loadConfig({
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_PREFIX: 'from-config',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const store = openArtifactStore(config);
    expect(store.kind).toBe('s3');
    await store.put('k.txt', 'через конфигурацию');
    expect((await store.get('k.txt')).toString()).toBe('через конфигурацию');
    await store.close();
  });

  it('names a missing bucket and an unreachable endpoint in store errors', async () => {
    const missing = new S3ArtifactStore({ ...storeOptions(''), bucket: 'no-such-bucket' });
    const error = await rejection(missing.put('a.txt', 'x'));
    expect(error.code).toBe('ARTIFACT_STORE_ERROR');
    expect(error.message).toMatch(/Cannot write artifact "a\.txt" in s3:\/\/no-such-bucket\/: NoSuchBucket/);
    expect((await rejection(missing.list())).message).toMatch(/NoSuchBucket/);
    await missing.close();

    const down = new S3ArtifactStore({ ...storeOptions(''), endpoint: 'http://127.0.0.1:1' });
    const unreachable = await rejection(down.get('a.txt'));
    expect(unreachable.code).toBe('ARTIFACT_STORE_ERROR');
    expect(unreachable.message).toMatch(/Cannot read artifact "a\.txt".*ECONNREFUSED/);
    await down.close();
  });
});
