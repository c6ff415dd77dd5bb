/**
 * The contract every `ArtifactStore` must meet. `artifacts-fs.test.ts` runs it on a temporary
 * directory and `test/artifacts.s3.test.ts` on s3rver through the AWS SDK (with a small list page
 * size, so listings span several pages). Each test gets an empty store.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import type { ArtifactStore, ArtifactStoreKind } from './artifacts.js';

export interface ArtifactSuiteHandle {
  /** An empty store. */
  store: ArtifactStore;
  /** Closes the store and removes what the test wrote. */
  dispose(): Promise<void>;
}

export type ArtifactSuiteFactory = () => Promise<ArtifactSuiteHandle>;

/** Keys written by the listing test: more than three pages of two keys. */
export const MANY_KEYS = [
  'many/a.bin',
  'many/b/c.json',
  'many/b/d.json',
  'many/e-1.txt',
  'many/e-2.txt',
  'many/e_3',
  'many/z',
];

async function rejection(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

const INVALID_KEYS = [
  '',
  '/abs',
  'a//b',
  'a/',
  '../x',
  'a/../b',
  'a/./b',
  'Upper.json',
  'sp ace',
  'a\\b',
  'ключ',
  'x'.repeat(513),
];

export function defineArtifactStoreSuite(
  name: string,
  kind: ArtifactStoreKind,
  factory: ArtifactSuiteFactory,
): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let handle: ArtifactSuiteHandle;
    let store: ArtifactStore;
    beforeEach(async () => {
      handle = await factory();
      store = handle.store;
    });
    afterEach(async () => {
      await handle.dispose();
    });

    it('reports its kind and starts empty', async () => {
      expect(store.kind).toBe(kind);
      expect(await store.list()).toEqual([]);
    });

    it('stores binary bytes exactly', async () => {
      const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const random = randomBytes(300_000);
      await store.put('bin/every-byte.bin', every);
      await store.put('bin/random.bin', new Uint8Array(random));
      await store.put('bin/empty.bin', new Uint8Array(0));
      const view = new Uint8Array(every.buffer, every.byteOffset + 10, 5);
      await store.put('bin/view.bin', view, 'application/octet-stream');
      expect((await store.get('bin/every-byte.bin')).equals(every)).toBe(true);
      expect((await store.get('bin/random.bin')).equals(random)).toBe(true);
      expect(await store.get('bin/empty.bin')).toEqual(Buffer.alloc(0));
      expect([...(await store.get('bin/view.bin'))]).toEqual([10, 11, 12, 13, 14]);
      expect(Buffer.isBuffer(await store.get('bin/every-byte.bin'))).toBe(true);
    });

    it('stores strings as UTF-8', async () => {
      const text =
        '{"offer":"Кредитная карта «Халва»","sms":"Оценивайте свои финансовые возможности и риски 💳"}';
      await store.put('models/reco/0001/meta.json', text, 'application/json');
      const bytes = await store.get('models/reco/0001/meta.json');
      expect(bytes.toString('utf8')).toBe(text);
      expect(bytes.length).toBe(Buffer.byteLength(text, 'utf8'));
    });

    it('overwrites an existing artifact with longer and shorter content', async () => {
      await store.put('model.json', 'first version');
      await store.put('model.json', 'a much longer second version of the artifact');
      expect((await store.get('model.json')).toString()).toBe('a much longer second version of the artifact');
      await store.put('model.json', 'v3');
      expect((await store.get('model.json')).toString()).toBe('v3');
      expect(await store.list()).toEqual(['model.json']);
    });

    it('tells whether a key exists; a folder is not an artifact', async () => {
      await store.put('models/seg/k.json', '{}');
      expect(await store.exists('models/seg/k.json')).toBe(true);
      expect(await store.exists('models/seg/missing.json')).toBe(false);
      expect(await store.exists('models/seg')).toBe(false);
      expect(await store.exists('nothing/here')).toBe(false);
    });

    it('throws ARTIFACT_NOT_FOUND naming the missing key', async () => {
      await rejection(store.get('models/none.json'), 'ARTIFACT_NOT_FOUND', /"models\/none\.json" not found/);
      await store.put('models/seg/k.json', '{}');
      await rejection(store.get('models/seg'), 'ARTIFACT_NOT_FOUND', /"models\/seg" not found/);
      await rejection(store.get('models/seg/k.json/deeper'), 'ARTIFACT_NOT_FOUND', /not found/);
    });

    it('lists keys by prefix, sorted, across pages', async () => {
      await Promise.all([...MANY_KEYS].reverse().map((key) => store.put(key, key)));
      await store.put('manyx', 'outside the folder');
      await store.put('other/x.json', 'outside');
      expect(await store.list('many/')).toEqual(MANY_KEYS);
      expect(await store.list('many/e')).toEqual(['many/e-1.txt', 'many/e-2.txt', 'many/e_3']);
      expect(await store.list('many/b/')).toEqual(['many/b/c.json', 'many/b/d.json']);
      expect(await store.list('many')).toEqual([...MANY_KEYS, 'manyx']);
      expect(await store.list()).toEqual([...MANY_KEYS, 'manyx', 'other/x.json']);
      expect(await store.list('')).toEqual(await store.list());
      expect(await store.list('nothing/')).toEqual([]);
      expect(await store.list('other/x.json')).toEqual(['other/x.json']);
    });

    it('deletes artifacts; deleting a missing key does nothing', async () => {
      await store.put('tmp/a.bin', 'a');
      await store.put('tmp/b.bin', 'b');
      await store.delete('tmp/a.bin');
      expect(await store.exists('tmp/a.bin')).toBe(false);
      expect(await store.list('tmp/')).toEqual(['tmp/b.bin']);
      await rejection(store.get('tmp/a.bin'), 'ARTIFACT_NOT_FOUND', /tmp\/a\.bin/);
      await store.delete('tmp/a.bin');
      await store.delete('never/existed.bin');
      await store.delete('tmp');
      expect((await store.get('tmp/b.bin')).toString()).toBe('b');
      await store.put('tmp/a.bin', 'again');
      expect((await store.get('tmp/a.bin')).toString()).toBe('again');
    });

    it('rejects invalid keys and prefixes with ARGUMENT_INVALID naming them', async () => {
      for (const key of INVALID_KEYS) {
        const named = new RegExp(
          `Invalid artifact key ${JSON.stringify(key).replace(/[\\.*+?^${}()|[\]]/g, '\\$&')}`,
        );
        await rejection(store.put(key, 'x'), 'ARGUMENT_INVALID', named);
        await rejection(store.get(key), 'ARGUMENT_INVALID', named);
        await rejection(store.exists(key), 'ARGUMENT_INVALID', named);
        await rejection(store.delete(key), 'ARGUMENT_INVALID', named);
      }
      await rejection(store.get('a/../../etc/passwd'), 'ARGUMENT_INVALID', /must not contain "\.\."/);
      for (const prefix of ['/models', '..', 'a//', 'Models/']) {
        await rejection(store.list(prefix), 'ARGUMENT_INVALID', /Invalid artifact prefix/);
      }
      expect(await store.list()).toEqual([]);
    });
  });
}
