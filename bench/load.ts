/**
 * API load benchmark, one process (server and autocannon share one thread), 50 connections.
 * Side by side on the same server:
 *   1. throughput at saturation: `GET /health` (a trivial JSON route, the baseline, run before and
 *      after), `POST /v1/recommendations` (precomputed and model answers, history recorded) and
 *      `POST /v1/offers` with 100 clients per request; each route's req/s as a ratio to the baseline;
 *   2. latency at a fixed rate below saturation (at saturation latency is only queueing:
 *      connections / throughput): p50/p99 of the same routes.
 * Latency is shown as the client sees it (autocannon, which shares the thread) and server-side
 * (request received → answer sent, from the request history).
 * Embedded defaults (PGlite in a temporary data directory); `--postgres` runs the same against a
 * throwaway PostgreSQL server started for the run.
 *
 * `--real` serves the product's own modules (a recommender trained on a generated panel, the offer
 * engine with the shipped catalog) instead of the in-bench services.
 *
 *   npm run bench:load -- [--duration 10] [--connections 50] [--reco-rate 1000] [--offers-rate 10] [--postgres] [--real]
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { AUTH, PRECOMPUTED_BASE, PRECOMPUTED_CLIENTS, startBenchServer } from './api-fixture.js';
import { createThrowawayPostgres, postgresBinDir } from './throwaway-postgres.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'reco-rate': { type: 'string', default: '1000' },
    'offers-rate': { type: 'string', default: '10' },
    postgres: { type: 'boolean', default: false },
    real: { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

interface Row {
  route: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** Seconds the history writer needed after the run to store what the run had queued. */
  drainS: number;
  /** Server-side latency (request received → answer) from the history, for recorded routes. */
  serverP50: number | null;
  serverP99: number | null;
}

async function serverSide(
  route: string,
  since: string,
): Promise<{ serverP50: number | null; serverP99: number | null }> {
  const [row] = await bench.server.db.query<{ p: number[] | null }>(
    `select percentile_cont(array[0.5, 0.99]) within group (order by duration_ms) as p
       from api_requests where route = $1 and started_at >= $2`,
    [route, since],
  );
  return { serverP50: row?.p?.[0] ?? null, serverP99: row?.p?.[1] ?? null };
}

const bin = values.postgres ? postgresBinDir() : null;
if (values.postgres && !bin)
  throw new Error('--postgres: no PostgreSQL binaries in /usr/lib/postgresql/*/bin');
const pg = bin ? await createThrowawayPostgres(bin) : null;
const bench = await startBenchServer(pg?.url ?? '', values.real);
const headers = { authorization: AUTH, 'content-type': 'application/json' };
let seq = 0;

async function run(route: string, urlPath: string, options: Partial<autocannon.Options>): Promise<Row> {
  const since = new Date().toISOString();
  const result = await autocannon({ url: bench.url + urlPath, connections, duration, headers, ...options });
  // Let the history writer catch up so that runs do not inherit each other's backlog.
  const t = performance.now();
  await bench.server.app.history.flush();
  const row = {
    route,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    drainS: (performance.now() - t) / 1000,
    ...(await serverSide(urlPath, since)),
  };
  process.stderr.write(
    `${route}: ${row.reqPerSec.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, history drained in ${row.drainS.toFixed(1)} s\n`,
  );
  return row;
}

const recoBody = (): string => {
  seq++;
  // 3 in 4 clients are in the precomputed set; the others are answered by the model service.
  const known = bench.modelClients;
  const modelId = known.length > 0 ? known[seq % known.length] : seq % 50_000;
  const id = seq % 4 === 0 ? modelId : PRECOMPUTED_BASE + (seq % PRECOMPUTED_CLIENTS);
  return JSON.stringify({ client_id: id, k: 7 });
};
const offersBody = (): string =>
  JSON.stringify(
    Array.from({ length: 100 }, (_, i) =>
      values.real
        ? {
            client_id: (seq++ * 100 + i) % 1_000_000,
            features: {
              gender: i % 2,
              age: 20 + (i % 50),
              cnt_zp_12m: i % 13,
              cnt_tr_oil_3m: i % 7,
              consent: 1,
            },
            product: ['ПК', 'CC', 'DEPOSIT', 'DC'][i % 4],
            channel: ['SMS', 'EMAIL', 'PUSH'][i % 3],
          }
        : {
            client_id: (seq++ * 100 + i) % 1_000_000,
            features: { age: 20 + (i % 50), renta: 50_000 + i * 100, segmento: 'PARTICULARES' },
            product: ['ind_cco_fin_ult1', 'ind_tjcr_fin_ult1', 'ind_recibo_ult1', 'ind_ctop_fin_ult1'][i % 4],
            channel: ['sms', 'email', 'push'][i % 3],
          },
    ),
  );
const reco = {
  method: 'POST' as const,
  requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, body: recoBody() }) }],
};
const offers = {
  method: 'POST' as const,
  requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, body: offersBody() }) }],
};

// Warm up (JIT, credential cache) before measuring.
await autocannon({ url: `${bench.url}/v1/recommendations`, connections, duration: 2, headers, ...reco });

const saturation = [
  await run('GET /health (baseline)', '/health', { method: 'GET' }),
  await run('POST /v1/recommendations', '/v1/recommendations', reco),
  await run('POST /v1/offers (100 clients)', '/v1/offers', offers),
  await run('GET /health (baseline, again)', '/health', { method: 'GET' }),
];
const recoRate = Number(values['reco-rate']);
const offersRate = Number(values['offers-rate']);
const fixed = [
  await run(`GET /health at ${recoRate} req/s`, '/health', { method: 'GET', overallRate: recoRate }),
  await run(`POST /v1/recommendations at ${recoRate} req/s`, '/v1/recommendations', {
    ...reco,
    overallRate: recoRate,
  }),
  await run(`POST /v1/offers (100 clients) at ${offersRate} req/s`, '/v1/offers', {
    ...offers,
    overallRate: offersRate,
  }),
];
await bench.server.app.history.flush();
const [{ n: stored }] = await bench.server.db.query<{ n: number }>('select count(*) as n from api_requests');
await bench.close();
await pg?.destroy();

const baseline = (saturation[0].reqPerSec + saturation[3].reqPerSec) / 2;
const ms = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
const table = (rows: Row[], ratio: boolean) => [
  `| route | req/s | p50 ms | p99 ms | server p50 ms | server p99 ms | errors | history drain after run (s) |${ratio ? ' throughput / baseline |' : ''}`,
  `|---|---:|---:|---:|---:|---:|---:|---:|${ratio ? '---:|' : ''}`,
  ...rows.map(
    (r) =>
      `| ${r.route} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${ms(r.serverP50)} | ${ms(r.serverP99)} | ${r.errors} | ${r.drainS.toFixed(1)} |${ratio ? ` ${(r.reqPerSec / baseline).toFixed(2)} |` : ''}`,
  ),
];
const lines = [
  `API load: ${connections} connections, ${duration} s per run, one process (server and autocannon share one thread), ${pg ? 'PostgreSQL (throwaway server)' : 'PGlite'}, ${values.real ? 'the product’s own modules (trained recommender, offer engine)' : 'in-bench services'}`,
  '',
  'Saturation (throughput):',
  ...table(saturation, true),
  '',
  'Fixed rate (latency):',
  ...table(fixed, false),
  '',
  `history rows stored: ${stored} (every recommendation and offers request of all runs)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
