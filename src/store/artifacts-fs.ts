/**
 * Filesystem artifact store: the key `a/b/c.json` is the file `<root>/a/b/c.json`. Writes go to a
 * temporary file in the same directory, are flushed, then renamed over the target, so a reader or
 * a crash never sees half an artifact. Temporary names end in `~`, which no key may contain, so
 * `list` never reports them. Content types are not stored (files have none).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError, errorMessage } from '../errors.js';
import {
  assertArtifactKey,
  assertArtifactPrefix,
  bodyBytes,
  checkArtifactKey,
  checkArtifactPrefix,
} from './artifact-keys.js';
import type { ArtifactStore } from './artifacts.js';

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** ENOENT: no such file; ENOTDIR: a parent "folder" is a file; EISDIR: the key is a folder. */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

export class FsArtifactStore implements ArtifactStore {
  readonly kind = 'fs' as const;
  readonly location: string;
  readonly #root: string;

  constructor(root: string) {
    this.#root = path.resolve(root);
    this.location = this.#root;
  }

  async put(key: string, body: Uint8Array | string, _contentType?: string): Promise<void> {
    const file = this.#file(key);
    const bytes = bodyBytes(body);
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}~`);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw this.#error('write', key, e);
    }
  }

  async get(key: string): Promise<Buffer> {
    const file = this.#file(key);
    try {
      return await readFile(file);
    } catch (e) {
      if (MISSING.has(errnoOf(e) ?? '')) {
        throw new AppError('ARTIFACT_NOT_FOUND', `Artifact "${key}" not found in ${this.location}`, {
          cause: e,
        });
      }
      throw this.#error('read', key, e);
    }
  }

  async exists(key: string): Promise<boolean> {
    const file = this.#file(key);
    try {
      return (await stat(file)).isFile();
    } catch (e) {
      if (MISSING.has(errnoOf(e) ?? '')) return false;
      throw this.#error('check', key, e);
    }
  }

  async list(prefix = ''): Promise<string[]> {
    assertArtifactPrefix(prefix);
    // Walk only the folder the prefix points into: `models/re` → `<root>/models`.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys: string[] = [];
    try {
      await this.#walk(folder, keys);
    } catch (e) {
      throw new AppError(
        'ARTIFACT_STORE_ERROR',
        `Listing artifacts "${prefix}*" in ${this.location} failed: ${errorMessage(e)}`,
        {
          cause: e,
        },
      );
    }
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    const file = this.#file(key);
    try {
      await unlink(file);
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      // unlink of a folder fails with EISDIR (Linux) or EPERM (macOS): no artifact has that key.
      if ((code === 'EISDIR' || code === 'EPERM') && (await stat(file).catch(() => null))?.isDirectory())
        return;
      throw this.#error('delete', key, e);
    }
  }

  close(): Promise<void> {
    // Nothing to release: every operation opens and closes its own files.
    return Promise.resolve();
  }

  /** Adds the keys of every file below `<root>/<folder>` to `out`; a missing folder adds none. */
  async #walk(folder: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder === '' ? this.#root : path.join(this.#root, ...folder.split('/')), {
        withFileTypes: true,
      });
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return;
      throw e;
    }
    for (const entry of entries) {
      const key = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory() && checkArtifactPrefix(`${key}/`) === undefined) await this.#walk(key, out);
      else if (entry.isFile() && checkArtifactKey(key) === undefined) out.push(key);
    }
  }

  #file(key: string): string {
    assertArtifactKey(key);
    return path.join(this.#root, ...key.split('/'));
  }

  #error(action: string, key: string, e: unknown): AppError {
    return new AppError(
      'ARTIFACT_STORE_ERROR',
      `Cannot ${action} artifact "${key}" in ${this.location}: ${errorMessage(e)}`,
      {
        cause: e,
      },
    );
  }
}
