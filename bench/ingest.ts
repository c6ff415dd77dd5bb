/**
 * Ingest benchmark: on one Santander-layout file, side by side in this process, times
 *   1. DuckDB's bare `SELECT count(*) FROM read_csv(file)` (the baseline),
 *   2. a bare typed `COPY (SELECT * FROM read_csv(file)) TO parquet` (no cleaning: the floor of any Parquet ingest),
 *   3. the full `nextoffer ingest` (cleaning, quarantine accounting, checksum, stats, versioned publish),
 * and prints each time and its ratio to the baseline, with the process's peak memory after each step.
 *
 *   npm run bench:ingest -- [--file F] [--threads N] [--customers N --months M --seed S]
 * Without --file it generates (once) a synthetic file of 950,000 customers × 17 months (~13.6M rows).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeSantanderCsv } from '../src/data/generate/write.js';
import { closeDuck, openDuck, rows, sqlString } from '../src/data/duckdb.js';
import { ingest } from '../src/data/ingest/ingest.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    threads: { type: 'string', default: '1' },
    customers: { type: 'string', default: '950000' },
    months: { type: 'string', default: '17' },
    seed: { type: 'string', default: '1' },
    'work-dir': { type: 'string', default: path.join(os.tmpdir(), 'nextoffer-bench') },
  },
});
const threads = Number(values.threads);
const workDir = values['work-dir'];

const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

async function inputFile(): Promise<string> {
  if (values.file) return path.resolve(values.file);
  await mkdir(workDir, { recursive: true });
  const file = path.join(workDir, `train-c${values.customers}-m${values.months}-s${values.seed}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    await writeSantanderCsv(file, {
      customers: Number(values.customers),
      months: Number(values.months),
      seed: Number(values.seed),
    });
  }
  return file;
}

const file = await inputFile();
const duck = await openDuck({ threads });
const [[count], tCount] = await timed(() =>
  rows<{ n: string }>(duck.conn, `SELECT count(*) AS n FROM read_csv(${sqlString(file)})`),
);
const afterCount = peakMb();
const floorOut = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-bench-floor-'));
const [, tFloor] = await timed(() =>
  duck.conn.run(
    `COPY (SELECT * FROM read_csv(${sqlString(file)})) TO ${sqlString(path.join(floorOut, 'all.parquet'))} (FORMAT parquet)`,
  ),
);
closeDuck(duck);
await rm(floorOut, { recursive: true, force: true });
const afterFloor = peakMb();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-bench-ingest-'));
const [report, tIngest] = await timed(() => ingest(file, { dataDir, threads }));
const afterIngest = peakMb();
await rm(dataDir, { recursive: true, force: true });

const line = (label: string, s: number, mb: string) =>
  `${label.padEnd(46)} ${s.toFixed(2).padStart(8)} s  ${(s / tCount).toFixed(2).padStart(6)}×  peak RSS ${mb.padStart(6)} MB`;
console.log(
  `file ${file}: ${Number(count.n).toLocaleString('en-US')} rows; DuckDB threads ${threads}; node ${process.version}, ${os.cpus().length} cores`,
);
console.log(line('baseline: SELECT count(*) FROM read_csv', tCount, afterCount));
console.log(line('floor: COPY read_csv TO parquet (no cleaning)', tFloor, afterFloor));
console.log(line('nextoffer ingest (clean + quarantine + publish)', tIngest, afterIngest));
console.log(
  `ingest: ${report.linesRead.toLocaleString('en-US')} lines = ${report.rowsIngested.toLocaleString('en-US')} ingested + ${report.rowsQuarantined} quarantined; ${report.months.length} months`,
);
if (report.phases)
  console.log(
    `ingest phases: read+clean ${report.phases.readClean.toFixed(2)} s, accounting ${report.phases.account.toFixed(2)} s, ` +
      `statistics ${report.phases.stats.toFixed(2)} s, publish ${(tIngest - report.seconds).toFixed(2)} s`,
  );
console.log(`ratio ingest / count(*) = ${(tIngest / tCount).toFixed(2)} (target ≤ 2.00)`);
