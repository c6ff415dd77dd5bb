/**
 * Batch scoring across processes, with real Redis and PostgreSQL: a 200k-client synthetic
 * dataset, a popularity recommender, `score --all` enqueueing 100 shards, two `nextoffer worker`
 * child processes (the compiled CLI, `npm run build` first), one SIGKILLed mid-run. The survivor
 * picks up the dead worker's shard once its lock expires; every client must end up with exactly
 * one ranked set (ranks 1..k), and a rerun of the same run must enqueue nothing.
 *
 * Needs `/usr/bin/redis-server`, and PostgreSQL: `TEST_DATABASE_URL` (a fresh schema is used and
 * dropped) or the Debian server binaries (a throwaway server is started). Skipped otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createThrowawayPostgres,
  postgresBinDir,
  type ThrowawayPostgres,
} from '../bench/throwaway-postgres.js';
import { createThrowawayRedis, hasRedisServer, type ThrowawayRedis } from '../bench/throwaway-redis.js';
import { runCli } from '../src/cli/run-cli.test-util.js';
import { writeSantanderCsv } from '../src/data/generate/write.js';
import { openPostgres } from '../src/store/db-postgres.js';
import type { Database } from '../src/store/db.js';

const CLIENTS = 200_000;
const SHARD = 2000;
const K = 7;
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'nextoffer.js');
const testUrl = process.env.TEST_DATABASE_URL ?? '';
const canRun = hasRedisServer() && (testUrl !== '' || postgresBinDir() !== null);
if (!canRun) console.warn('batch-score.redis: skipped — needs redis-server and PostgreSQL');

interface Child {
  proc: ChildProcess;
  lines: string[];
  exit: Promise<number | null>;
}

function startWorker(env: NodeJS.ProcessEnv, name: string): Child {
  const proc = spawn(process.execPath, [CLI, 'worker', '--name', name], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  proc.stderr?.on('data', (d: Buffer) => lines.push(`stderr: ${d.toString().trim()}`));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, lines, exit };
}

async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Shards a worker started and did not finish, from its `shard RUN N started|done` lines. */
function inFlight(lines: readonly string[]): number[] {
  const open = new Set<number>();
  for (const l of lines) {
    const m = /^shard \S+ (\d+) (started|done)/.exec(l);
    if (m?.[2] === 'started') open.add(Number(m[1]));
    else if (m) open.delete(Number(m[1]));
  }
  return [...open];
}

describe.runIf(canRun)('score --all with two workers, one killed (Redis + PostgreSQL)', () => {
  let dir = '';
  let redis: ThrowawayRedis | undefined;
  let pg: ThrowawayPostgres | undefined;
  let admin: Database | undefined;
  let schema = '';
  let db: Database;
  let env: NodeJS.ProcessEnv;
  const workers: Child[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js')))
      throw new Error('the compiled CLI is missing: run `npm run build` before this test');
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-batch-'));
    redis = await createThrowawayRedis();
    let url: string;
    if (testUrl !== '') {
      admin = await openPostgres(testUrl, { maxConnections: 1 });
      schema = `nextoffer_batch_${randomBytes(5).toString('hex')}`;
      await admin.exec(`create schema ${schema}`);
      const u = new URL(testUrl);
      u.searchParams.set('options', `-c search_path=${schema}`);
      url = u.toString();
    } else {
      pg = await createThrowawayPostgres(postgresBinDir() as string);
      url = pg.url;
    }
    env = {
      ...process.env,
      NEXTOFFER_DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: url,
      NEXTOFFER_REDIS_URL: redis.url,
      NEXTOFFER_WORKER_LOCK_SECONDS: '2',
      NEXTOFFER_THREADS: '1',
    };
    for (const key of ['NEXTOFFER_DATA_DIR', 'DATABASE_URL', 'NEXTOFFER_REDIS_URL', 'NEXTOFFER_THREADS'])
      vi.stubEnv(key, env[key]);
    db = await openPostgres(url, { maxConnections: 2 });
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
    vi.unstubAllEnvs();
    await db?.close();
    if (admin) {
      await admin.exec(`drop schema if exists ${schema} cascade`);
      await admin.close();
    }
    await pg?.destroy();
    await redis?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scores every client exactly once although a worker dies mid-run', async () => {
    const panel = path.join(dir, 'panel.csv');
    await writeSantanderCsv(panel, { customers: CLIENTS, months: 2, seed: 11 });
    expect((await runCli('ingest', panel, '--json')).code).toBe(0);
    const trained = await runCli(
      'train',
      '--model',
      'popularity',
      '--train-months',
      '1',
      '--quiet',
      '--json',
    );
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);

    const queued = await runCli(
      'score',
      '--all',
      '--shard-size',
      String(SHARD),
      '--run',
      'nightly',
      '--json',
    );
    expect(queued.code).toBe(0);
    expect(JSON.parse(queued.out)).toMatchObject({
      run: 'nightly',
      mode: 'queue',
      clients: CLIENTS,
      shards: CLIENTS / SHARD,
      enqueued: CLIENTS / SHARD,
    });

    const a = startWorker(env, 'worker-a');
    const b = startWorker(env, 'worker-b');
    workers.push(a, b);
    // Kill A while it holds a shard, once both have done some work.
    const done = (w: Child) => w.lines.filter((l) => / done: /.test(l)).length;
    await until(
      'both workers to finish shards',
      () => done(a) >= 3 && done(b) >= 1 && inFlight(a.lines).length > 0,
      90_000,
    ).catch((e: unknown) => {
      console.error('worker-a:', a.lines.slice(-20), 'worker-b:', b.lines.slice(-20));
      throw e;
    });
    a.proc.kill('SIGKILL');
    await a.exit;
    const orphans = inFlight(a.lines);
    expect(orphans.length).toBe(1);

    const shardsDone = async () =>
      (await db.query<{ n: number }>(`select count(*) as n from scoring_shards where run_id = 'nightly'`))[0]
        .n;
    await until('every shard to be written', async () => (await shardsDone()) === CLIENTS / SHARD, 100_000);

    // The dead worker's shard was taken over by the survivor (stalled-job detection).
    const [orphan] = await db.query<{ worker: string }>(
      `select worker from scoring_shards where run_id = 'nightly' and shard = $1`,
      [orphans[0]],
    );
    expect(orphan.worker).toBe('worker-b');
    expect(b.lines.some((l) => l.startsWith(`shard nightly ${orphans[0]} started`))).toBe(true);

    const [totals] = await db.query<{ rows: number; clients: number; min_rank: number; max_rank: number }>(
      `select count(*) as rows, count(distinct client_id) as clients, min(rank) as min_rank, max(rank) as max_rank
         from scoring_results where run_id = 'nightly'`,
    );
    expect(totals).toEqual({ rows: CLIENTS * K, clients: CLIENTS, min_rank: 1, max_rank: K });
    const bad = await db.query(
      `select client_id from scoring_results where run_id = 'nightly'
        group by client_id having count(*) <> $1 or count(distinct rank) <> $1 or count(distinct product) <> $1 limit 5`,
      [K],
    );
    expect(bad).toEqual([]);
    const [run] = await db.query<{ finished: boolean }>(
      `select finished_at is not null as finished from scoring_runs where id = 'nightly'`,
    );
    expect(run.finished).toBe(true);

    // SIGTERM: the survivor stops cleanly.
    b.proc.kill('SIGTERM');
    expect(await b.exit).toBe(0);
    expect(b.lines.some((l) => /^worker worker-b stopped/.test(l))).toBe(true);

    // Rerunning the same run enqueues nothing and changes nothing.
    const again = await runCli('score', '--all', '--shard-size', String(SHARD), '--run', 'nightly', '--json');
    expect(JSON.parse(again.out)).toMatchObject({
      created: false,
      enqueued: 0,
      shards_skipped: CLIENTS / SHARD,
      finished: true,
    });
    const status = await runCli('score', '--status', 'nightly');
    expect(status.out).toContain(
      `${CLIENTS / SHARD}/${CLIENTS / SHARD} shards, ${CLIENTS}/${CLIENTS} clients — finished`,
    );

    // Publishing serves the run as the precomputed recommendations.
    const published = await runCli('score', '--publish', 'nightly', '--json');
    expect(JSON.parse(published.out)).toMatchObject({ rows: CLIENTS * K, clients: CLIENTS });
  }, 200_000);
});
