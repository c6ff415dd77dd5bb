/**
 * `score --all`: plans a run (clients of the dataset, promoted model version, shards), records it,
 * and either enqueues the shards for `nextoffer worker` processes (Redis configured) or scores
 * them here, one after another (no Redis). Both paths write through the same shard transaction,
 * skip shards already written, and so a rerun of the same run id only does what is missing.
 */
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { RECO_MODEL_NAME } from '../reco/artifact.js';
import { openArtifactStore } from '../store/artifacts.js';
import type { Database } from '../store/db.js';
import { ModelRegistry } from '../store/registry.js';
import { ScoringStore, type RunProgress, type ScoringRun } from '../store/scoring.js';
import { assertRunId, datasetClients, defaultRunId, planShards } from './plan.js';
import { enqueueShards, failedShards, openScoreQueue, queueCounts, type QueueCounts } from './queue.js';
import { RecommenderCache, scoreClients } from './score-shard.js';

export interface ScoreAllOptions {
  k: number;
  shardSize: number;
  /** Run id; default derived from the model version, k, shard size and the clients. */
  runId?: string;
  /** Model version; default the promoted one. */
  version?: number;
}

export interface ScoreAllResult {
  run: ScoringRun;
  created: boolean;
  mode: 'queue' | 'in-process';
  shardsSkipped: number;
  enqueued: number;
  retried: number;
}

export type ProgressHook = (p: {
  shardsDone: number;
  shards: number;
  clientsDone: number;
  queue?: QueueCounts;
}) => void;

export async function scoreAll(
  config: Config,
  db: Database,
  options: ScoreAllOptions,
  onProgress: ProgressHook = () => undefined,
): Promise<ScoreAllResult> {
  const artifacts = openArtifactStore(config);
  try {
    const registry = new ModelRegistry(db, artifacts);
    const version = options.version ?? (await registry.promoted(RECO_MODEL_NAME))?.version;
    if (version === undefined)
      throw new AppError('MODEL_NOT_FOUND', `no promoted ${RECO_MODEL_NAME} model; run \`nextoffer train\``);
    await registry.get(RECO_MODEL_NAME, version);
    const { clients } = await datasetClients(config);
    if (clients.length === 0) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no clients to score');
    const shards = planShards(clients, options.shardSize);
    const mode = config.redisUrl === '' ? 'in-process' : 'queue';
    const runId = assertRunId(
      options.runId ?? defaultRunId(RECO_MODEL_NAME, version, options.k, options.shardSize, clients),
    );
    const store = new ScoringStore(db);
    const { run, created } = await store.createRun({
      id: runId,
      modelName: RECO_MODEL_NAME,
      modelVersion: version,
      k: options.k,
      shardSize: options.shardSize,
      shards: shards.length,
      clients: clients.length,
      mode,
    });
    const done = await store.doneShards(runId);
    const base = { run, created, mode, shardsSkipped: done.size } as const;
    if (mode === 'queue') {
      const q = await openScoreQueue(config);
      try {
        const { added, retried } = await enqueueShards(
          q,
          { runId, modelVersion: version, k: options.k },
          shards,
          done,
        );
        return { ...base, enqueued: added, retried };
      } finally {
        await q.close();
      }
    }
    const cache = new RecommenderCache(registry);
    let clientsDone = (await store.progress(runId)).clientsDone;
    for (const shard of shards) {
      if (done.has(shard.index)) continue;
      const t0 = performance.now();
      const scored = await scoreClients(await cache.get(version), shard.clients, options.k);
      await store.writeShard({
        runId,
        shard: shard.index,
        worker: 'in-process',
        attempt: 1,
        seconds: (performance.now() - t0) / 1000,
        clients: scored,
      });
      done.add(shard.index);
      clientsDone += scored.length;
      onProgress({ shardsDone: done.size, shards: shards.length, clientsDone });
    }
    return { ...base, run: await store.getRun(runId), enqueued: 0, retried: 0 };
  } finally {
    await artifacts.close();
  }
}

/**
 * Polls a queued run until every shard is written; throws when shards failed for good and
 * nothing of the run is left in the queue.
 */
export async function waitForRun(
  config: Config,
  db: Database,
  runId: string,
  onProgress: ProgressHook = () => undefined,
  pollMs = 500,
): Promise<RunProgress> {
  const store = new ScoringStore(db);
  const q = config.redisUrl === '' ? null : await openScoreQueue(config);
  try {
    for (;;) {
      const p = await store.progress(runId);
      const counts = q ? await queueCounts(q) : undefined;
      onProgress({
        shardsDone: p.shardsDone,
        shards: p.run.shards,
        clientsDone: p.clientsDone,
        queue: counts,
      });
      if (p.shardsDone >= p.run.shards) return p;
      if (q && counts && counts.waiting + counts.active + counts.delayed === 0) {
        const failed = await failedShards(q, runId);
        if (failed.length > 0)
          throw new AppError(
            'INTERNAL_ERROR',
            `scoring run ${runId}: ${failed.length} shard(s) failed after every attempt (first: shard ${failed[0].shard}: ${failed[0].reason}); ` +
              'fix the cause and rerun `nextoffer score --all` to retry them',
          );
      }
      if (!q)
        throw new AppError(
          'CONFLICT',
          `scoring run ${runId} is incomplete and no queue is configured; rerun score --all`,
        );
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await q?.close();
  }
}
