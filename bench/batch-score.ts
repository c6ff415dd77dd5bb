/**
 * Batch-scoring benchmark: the same run (every client of a synthetic dataset, one recommender
 * version, k = 7) scored three ways, side by side in one process run, on one PostgreSQL:
 *   1. in-process (`score --all` without Redis: score and write shard after shard) — the baseline,
 *   2. one `nextoffer worker` process taking the shards from Redis,
 *   3. two `nextoffer worker` processes.
 * Each is timed from `score --all` to the last shard written; every child runs with
 * NEXTOFFER_THREADS=1. Prints wall time, clients/s, and per worker its shards, clients and
 * clients/s, and the ratios to the baseline.
 *
 *   npm run bench:batch-score -- [--customers 200000] [--months 2] [--shard-size 5000]
 *                                [--model popularity|gbdt] [--database-url URL]
 * Without --database-url (or TEST_DATABASE_URL) a throwaway PostgreSQL is started; Redis is
 * always a throwaway `redis-server`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { writeSantanderCsv } from '../src/data/generate/write.js';
import { openPostgres } from '../src/store/db-postgres.js';
import { createThrowawayPostgres, postgresBinDir } from './throwaway-postgres.js';
import { createThrowawayRedis } from './throwaway-redis.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    months: { type: 'string', default: '2' },
    'shard-size': { type: 'string', default: '5000' },
    model: { type: 'string', default: 'popularity' },
    'database-url': { type: 'string', default: process.env.TEST_DATABASE_URL ?? '' },
  },
});
const CLI = path.resolve(import.meta.dirname, '..', '..', 'bin', 'nextoffer.js');
const run = promisify(execFile);
const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-bench-batch-'));
const redis = await createThrowawayRedis();
const pg = values['database-url'] === '' ? await createThrowawayPostgres(postgresBinDir() ?? '') : null;
let url = pg?.url ?? values['database-url'];
let schema = '';
if (pg === null) {
  schema = `nextoffer_bench_${process.pid}`;
  const admin = await openPostgres(url);
  await admin.exec(`create schema ${schema}`);
  await admin.close();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  url = u.toString();
}
const base = {
  ...process.env,
  NEXTOFFER_DATA_DIR: path.join(dir, 'data'),
  DATABASE_URL: url,
  NEXTOFFER_THREADS: '1',
  NEXTOFFER_WORKER_LOCK_SECONDS: '30',
};
const cli = async (args: string[], env: NodeJS.ProcessEnv = base) =>
  (await run(process.execPath, [CLI, ...args], { env, maxBuffer: 1 << 26 })).stdout;

const db = await openPostgres(url, { maxConnections: 1 });
try {
  const panel = path.join(dir, 'panel.csv');
  process.stderr.write(
    `generating ${values.customers} clients × ${values.months} months, ingesting, training ${values.model} …\n`,
  );
  await writeSantanderCsv(panel, {
    customers: Number(values.customers),
    months: Number(values.months),
    seed: 5,
  });
  await cli(['ingest', panel, '--json']);
  await cli([
    'train',
    '--model',
    values.model,
    '--train-months',
    '1',
    '--max-train-rows',
    '20000',
    '--quiet',
    '--json',
  ]);

  interface Result {
    label: string;
    seconds: number;
    clients: number;
    perWorker: { worker: string; shards: number; clients: number; scoreSeconds: number }[];
  }
  const results: Result[] = [];

  async function measure(label: string, workers: number): Promise<void> {
    const runId = `bench-${workers}w`;
    const env = workers === 0 ? base : { ...base, NEXTOFFER_REDIS_URL: redis.url };
    const children: ChildProcess[] = [];
    const t0 = performance.now();
    for (let i = 0; i < workers; i++)
      children.push(
        spawn(process.execPath, [CLI, 'worker', '--quiet', '--name', `w${i + 1}`], { env, stdio: 'ignore' }),
      );
    const summary = JSON.parse(
      await cli(['score', '--all', '--run', runId, '--shard-size', values['shard-size'], '--json'], env),
    ) as { shards: number; clients: number };
    for (;;) {
      const [row] = await db.query<{ n: number }>(
        'select count(*) as n from scoring_shards where run_id = $1',
        [runId],
      );
      if (row.n >= summary.shards) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once('exit', r)))),
    );
    const perWorker = await db.query<{
      worker: string;
      shards: number;
      clients: number;
      scoreSeconds: number;
    }>(
      `select worker, count(*) as shards, sum(clients)::int as clients, sum(seconds) as "scoreSeconds"
         from scoring_shards where run_id = $1 group by worker order by worker`,
      [runId],
    );
    results.push({ label, seconds, clients: summary.clients, perWorker });
    process.stderr.write(`${label}: ${seconds.toFixed(1)} s\n`);
  }

  await measure('in-process', 0);
  await measure('1 worker', 1);
  await measure('2 workers', 2);

  const baseline = results[0].seconds;
  console.log(
    `batch scoring: ${results[0].clients} clients, model ${values.model}, k 7, shard ${values['shard-size']}, threads 1, cores ${os.availableParallelism()}`,
  );
  console.log(
    '| mode | wall s | clients/s | × in-process | per worker: shards, clients, clients/s of wall, scoring s |',
  );
  console.log('|---|---:|---:|---:|---|');
  for (const r of results) {
    const workers = r.perWorker
      .map(
        (w) =>
          `${w.worker}: ${w.shards}, ${w.clients}, ${(w.clients / r.seconds).toFixed(0)}/s, ${Number(w.scoreSeconds).toFixed(1)} s`,
      )
      .join('; ');
    console.log(
      `| ${r.label} | ${r.seconds.toFixed(1)} | ${(r.clients / r.seconds).toFixed(0)} | ${(baseline / r.seconds).toFixed(2)} | ${workers} |`,
    );
  }
} finally {
  await db.close();
  if (schema !== '') {
    const admin = await openPostgres(values['database-url']);
    await admin.exec(`drop schema if exists ${schema} cascade`);
    await admin.close();
  }
  await pg?.destroy();
  await redis.destroy();
  await rm(dir, { recursive: true, force: true });
}
