/**
 * Does a scheduled recommender retrain block the server? Trains the recommender on a generated
 * dataset twice in one process — in this thread (the baseline) and through `trainReco`, which
 * runs the fit in a worker thread — while a 10 ms interval timer measures how late the event loop
 * serves it (the delay a request would see). Prints the longest and the 99th-percentile delay of
 * each, and their ratio. DuckDB gets one thread (`--threads`).
 *
 *   npm run bench:retrain-blocking -- [--customers N] [--months M] [--threads T]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runIngest } from '../src/cli/commands/ingest.js';
import { loadConfig } from '../src/config.js';
import { writeSantanderCsv } from '../src/data/generate/write.js';
import {
  trainReco,
  trainRecoArtifact,
  usesWorker,
  type RecoTrainInput,
} from '../src/learn/reco-train-job.js';
import { DEFAULT_FIT_OPTIONS } from '../src/reco/fit.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '5000' },
    months: { type: 'string', default: '8' },
    threads: { type: 'string', default: '1' },
  },
});

async function lagDuring(fn: () => Promise<unknown>): Promise<{ seconds: number; max: number; p99: number }> {
  const delays: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    delays.push(now - last - 10);
    last = now;
  }, 10);
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  delays.sort((a, b) => a - b);
  return {
    seconds,
    max: delays.at(-1) ?? 0,
    p99: delays[Math.min(delays.length - 1, Math.floor(0.99 * delays.length))] ?? 0,
  };
}

async function main(): Promise<void> {
  if (!usesWorker())
    throw new Error('the compiled worker is missing: run through `npm run bench:retrain-blocking`');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-bench-retrain-'));
  try {
    const config = loadConfig({ NEXTOFFER_DATA_DIR: dir, NEXTOFFER_THREADS: values.threads });
    const file = path.join(dir, 'panel.csv');
    await writeSantanderCsv(file, {
      customers: Number(values.customers),
      months: Number(values.months),
      seed: 7,
    });
    await runIngest(config, file, {}, false);
    const input: RecoTrainInput = {
      dataDir: dir,
      threads: config.threads,
      memoryLimit: config.memoryLimit,
      options: DEFAULT_FIT_OPTIONS,
    };
    const inline = await lagDuring(() => trainRecoArtifact(input));
    const worker = await lagDuring(() => trainReco(input));
    const row = (name: string, r: typeof inline) =>
      `${name.padEnd(22)} ${r.seconds.toFixed(1).padStart(7)} s   max delay ${r.max.toFixed(0).padStart(6)} ms   p99 ${r.p99.toFixed(0).padStart(6)} ms`;
    console.log(
      `recommender retrain, ${values.customers} customers × ${values.months} months, DuckDB threads ${values.threads}`,
    );
    console.log(row('in the server thread', inline));
    console.log(row('worker thread', worker));
    console.log(
      `longest event-loop delay: ${(inline.max / Math.max(1, worker.max)).toFixed(0)}× shorter with the worker`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
