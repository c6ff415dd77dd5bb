/**
 * Model registry (`model_versions`, `model_promotions`, migration 002). Each model name (`reco`,
 * `segments`, …) has numbered versions; a version's bytes live in the artifact store under
 * `models/<name>/<uuid>.bin`, its row records the run that made it, params and metrics.
 *
 * Promotion history is a stack: `promote(v)` pushes v, `rollback()` pops back to the version that was
 * live before. The live (promoted) version is the top of the stack; every change is a row, so the
 * history is never rewritten and servers can poll `promoted()` to hot-reload.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ArtifactStore } from './artifacts.js';
import type { Database } from './db.js';

export interface ModelVersion {
  name: string;
  version: number;
  runId: string | null;
  artifactKey: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  createdAt: Date;
  /** Whether this version is the live one. */
  promoted: boolean;
}

export interface RegisterInput {
  artifact: Uint8Array | string;
  params?: Record<string, unknown>;
  metrics?: Record<string, number>;
  runId?: string | null;
  /** Promote the new version right away. Default: only when the model has no live version yet. */
  promote?: boolean;
}

export interface Promotion {
  version: number;
  action: 'promote' | 'rollback';
  at: Date;
}

interface VersionRow {
  name: string;
  version: number;
  run_id: string | null;
  artifact_key: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  created_at: Date;
}

const NAME_RE = /^[a-z][a-z0-9_-]*$/;
const COLUMNS = 'name, version, run_id, artifact_key, params, metrics, created_at';

function checkName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new AppError(
      'ARGUMENT_INVALID',
      `model name ${JSON.stringify(name)} must be a lower-case identifier`,
    );
  }
}

/** Replays the promotion history into the stack of live versions (top = last). */
export function promotionStack(history: readonly Promotion[]): number[] {
  const stack: number[] = [];
  for (const h of history) {
    if (h.action === 'promote') stack.push(h.version);
    else stack.pop();
  }
  return stack;
}

export class ModelRegistry {
  readonly #db: Database;
  readonly #artifacts: ArtifactStore;

  constructor(db: Database, artifacts: ArtifactStore) {
    this.#db = db;
    this.#artifacts = artifacts;
  }

  /** Stores the artifact, then records the next version number (and promotes it when asked). */
  async register(name: string, input: RegisterInput): Promise<ModelVersion> {
    checkName(name);
    for (const [k, v] of Object.entries(input.metrics ?? {})) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new AppError('ARGUMENT_INVALID', `metrics.${k} must be a finite number, got ${String(v)}`);
      }
    }
    const key = `models/${name}/${randomUUID()}.bin`;
    await this.#artifacts.put(key, input.artifact, 'application/octet-stream');
    try {
      const version = await this.#db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`model:${name}`]);
        const [{ next }] = await tx.query<{ next: number }>(
          'select coalesce(max(version), 0) + 1 as next from model_versions where name = $1',
          [name],
        );
        await tx.query(
          `insert into model_versions (name, version, run_id, artifact_key, params, metrics)
           values ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
          [
            name,
            next,
            input.runId ?? null,
            key,
            JSON.stringify(input.params ?? {}),
            JSON.stringify(input.metrics ?? {}),
          ],
        );
        const live = await tx.query('select 1 from model_promotions where name = $1 limit 1', [name]);
        if (input.promote === true || (input.promote === undefined && live.length === 0)) {
          await tx.query(`insert into model_promotions (name, version, action) values ($1, $2, 'promote')`, [
            name,
            next,
          ]);
        }
        return next;
      });
      return await this.get(name, version);
    } catch (e) {
      await this.#artifacts.delete(key).catch(() => undefined);
      throw e;
    }
  }

  async #history(name: string): Promise<Promotion[]> {
    const rows = await this.#db.query<{ version: number; action: 'promote' | 'rollback'; at: Date }>(
      'select version, action, at from model_promotions where name = $1 order by id',
      [name],
    );
    return rows;
  }

  /** The promotion history of a model, oldest first. */
  history(name: string): Promise<Promotion[]> {
    checkName(name);
    return this.#history(name);
  }

  async #promotedVersion(name: string): Promise<number | null> {
    const stack = promotionStack(await this.#history(name));
    return stack.length === 0 ? null : stack[stack.length - 1];
  }

  #toVersion(r: VersionRow, live: number | null): ModelVersion {
    return {
      name: r.name,
      version: r.version,
      runId: r.run_id,
      artifactKey: r.artifact_key,
      params: r.params,
      metrics: r.metrics,
      createdAt: r.created_at,
      promoted: r.version === live,
    };
  }

  /** Versions newest first; all models when `name` is omitted. */
  async list(name?: string): Promise<ModelVersion[]> {
    if (name !== undefined) checkName(name);
    const rows = await this.#db.query<VersionRow>(
      `select ${COLUMNS} from model_versions where ($1::text is null or name = $1) order by name, version desc`,
      [name ?? null],
    );
    const live = new Map<string, number | null>();
    for (const n of new Set(rows.map((r) => r.name))) live.set(n, await this.#promotedVersion(n));
    return rows.map((r) => this.#toVersion(r, live.get(r.name) ?? null));
  }

  async get(name: string, version: number): Promise<ModelVersion> {
    checkName(name);
    const rows = await this.#db.query<VersionRow>(
      `select ${COLUMNS} from model_versions where name = $1 and version = $2`,
      [name, version],
    );
    if (rows.length === 0) throw new AppError('MODEL_NOT_FOUND', `model ${name} has no version ${version}`);
    return this.#toVersion(rows[0], await this.#promotedVersion(name));
  }

  /** The live version, or null when the model was never promoted (or rolled back to nothing). */
  async promoted(name: string): Promise<ModelVersion | null> {
    checkName(name);
    const live = await this.#promotedVersion(name);
    return live === null ? null : this.get(name, live);
  }

  async promote(name: string, version: number): Promise<ModelVersion> {
    const target = await this.get(name, version);
    if (target.promoted) return target;
    await this.#db.query(`insert into model_promotions (name, version, action) values ($1, $2, 'promote')`, [
      name,
      version,
    ]);
    return { ...target, promoted: true };
  }

  /** Goes back to the version that was live before the current one. */
  async rollback(name: string): Promise<ModelVersion> {
    checkName(name);
    return this.#db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`model:${name}`]);
      const history = await tx.query<Promotion>(
        'select version, action, at from model_promotions where name = $1 order by id',
        [name],
      );
      const stack = promotionStack(history);
      if (stack.length < 2) {
        throw new AppError(
          'MODEL_NOT_FOUND',
          `model ${name} has no earlier promoted version to roll back to`,
        );
      }
      const current = stack[stack.length - 1];
      await tx.query(`insert into model_promotions (name, version, action) values ($1, $2, 'rollback')`, [
        name,
        current,
      ]);
      const previous = stack[stack.length - 2];
      const [row] = await tx.query<VersionRow>(
        `select ${COLUMNS} from model_versions where name = $1 and version = $2`,
        [name, previous],
      );
      return this.#toVersion(row, previous);
    });
  }

  /** The bytes of a version; the live one when `version` is omitted. */
  async load(name: string, version?: number): Promise<Buffer> {
    return (await this.open(name, version)).bytes;
  }

  /** A version's record and bytes; the live one when `version` is omitted. */
  async open(name: string, version?: number): Promise<{ version: ModelVersion; bytes: Buffer }> {
    const v = version === undefined ? await this.promoted(name) : await this.get(name, version);
    if (v === null) {
      throw new AppError('MODEL_NOT_FOUND', `model ${name} has no promoted version (train one first)`);
    }
    return { version: v, bytes: await this.#artifacts.get(v.artifactKey) };
  }
}
