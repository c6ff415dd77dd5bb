/**
 * API soak: `POST /v1/recommendations` at a fixed rate for 60 s (50 connections, one process,
 * embedded defaults), sampling the process's memory every 5 s after a forced GC. Reports errors
 * (must be zero), the memory series and its growth, and checks that every answered request is in
 * the history exactly once.
 *
 *   npm run bench:soak -- [--duration 60] [--rate 100]
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { AUTH, PRECOMPUTED_BASE, PRECOMPUTED_CLIENTS, startBenchServer } from './api-fixture.js';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '60' }, rate: { type: 'string', default: '100' } },
});
const duration = Number(values.duration);
const rate = Number(values.rate);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) process.stderr.write('note: run with --expose-gc for memory figures after a full GC\n');

const mb = (n: number) => Math.round(n / 1024 / 1024);
const sample = () => {
  gc?.();
  const m = process.memoryUsage();
  return { heapMb: mb(m.heapUsed), rssMb: mb(m.rss) };
};

const bench = await startBenchServer();
/** Half the clients are in the precomputed set, half are answered by the model service. */
const recoClient = (n: number): number =>
  n % 2 === 0 ? PRECOMPUTED_BASE + (n % PRECOMPUTED_CLIENTS) : n % PRECOMPUTED_CLIENTS;
let seq = 0;
// Warm up first so that the series starts from a steady state.
await autocannon({
  url: `${bench.url}/v1/recommendations`,
  connections: 50,
  duration: 3,
  overallRate: rate,
  method: 'POST',
  headers: { authorization: AUTH, 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (r) => ({
        ...r,
        body: JSON.stringify({ client_id: recoClient(seq++), k: 7 }),
      }),
    },
  ],
});
await bench.server.app.history.flush();
const [{ n: before }] = await bench.server.db.query<{ n: number }>('select count(*) as n from api_requests');

const series: { t: number; heapMb: number; rssMb: number }[] = [{ t: 0, ...sample() }];
const started = Date.now();
const cpuBefore = process.cpuUsage();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const timer = setInterval(
  () => series.push({ t: Math.round((Date.now() - started) / 1000), ...sample() }),
  5000,
);
const result = await autocannon({
  url: `${bench.url}/v1/recommendations`,
  connections: 50,
  duration,
  overallRate: rate,
  method: 'POST',
  headers: { authorization: AUTH, 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (r) => ({
        ...r,
        body: JSON.stringify({ client_id: recoClient(seq++), k: 7 }),
      }),
    },
  ],
});
clearInterval(timer);
loopDelay.disable();
const cpu = process.cpuUsage(cpuBefore);
const cpuShare = (cpu.user + cpu.system) / 1000 / (Date.now() - started);
series.push({ t: duration, ...sample() });
await bench.server.app.history.flush();
const [{ n: after }] = await bench.server.db.query<{ n: number }>('select count(*) as n from api_requests');
const statuses = await bench.server.db.query<{ status: number; n: number }>(
  'select status, count(*) as n from api_requests group by status order by status',
);
await bench.close();

const errors = result.errors + result.timeouts + result.non2xx;
const steady = series.filter((s) => s.t >= 10);
const first = steady[0] ?? series[0];
const last = series[series.length - 1];
const lines = [
  `API soak: POST /v1/recommendations at ${rate} req/s for ${duration} s, 50 connections, one process, PGlite`,
  '',
  `requests: ${result.requests.total} (${result.requests.average.toFixed(0)} req/s), errors: ${errors}, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
  `history rows added: ${after - before} (2xx answers: ${result['2xx']}); statuses in the history: ${statuses.map((r) => `${r.status}: ${r.n}`).join(', ')}`,
  `autocannon: errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`,
  `process CPU: ${(cpuShare * 100).toFixed(0)} % of one core; event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  `memory after GC (t s: heap MB / rss MB): ${series.map((s) => `${s.t}: ${s.heapMb}/${s.rssMb}`).join(', ')}`,
  `heap growth from t=${first.t} s to the end: ${last.heapMb - first.heapMb} MB`,
];
process.stdout.write(`${lines.join('\n')}\n`);
// Requests still in flight when autocannon stops (at most one per connection) are answered and
// recorded without being counted by autocannon.
const added = after - before;
if (errors > 0 || added < result['2xx'] || added > result['2xx'] + 2 * 50) process.exitCode = 1;
