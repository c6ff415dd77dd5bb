/**
 * Shared set-up of the API benchmarks: a server started in this process on embedded defaults
 * (PGlite in a temporary data directory), a precomputed set loaded through the API, and
 * in-bench services that do realistic work (a scored catalogue per client, offer texts with a
 * compliance check) without a trained model.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../src/api/server.js';
import type { OfferAnswer, OfferRequestItem, RecommendationService, Services } from '../src/api/services.js';
import { runIngest } from '../src/cli/commands/ingest.js';
import { trainAndRegister } from '../src/cli/commands/train.js';
import { loadConfig } from '../src/config.js';
import { writeSantanderCsv } from '../src/data/generate/write.js';
import { RECO_MODEL_NAME, recommenderFromBytes } from '../src/reco/artifact.js';
import { DEFAULT_FIT_OPTIONS } from '../src/reco/fit.js';
import { openArtifactStore } from '../src/store/artifacts.js';
import { ModelRegistry } from '../src/store/registry.js';
import { SANTANDER_PRODUCTS } from '../src/data/santander-schema.js';

export const ADMIN_PASSWORD = 'bench admin password';
export const AUTH = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
export const PRECOMPUTED_CLIENTS = 20_000;
/** Precomputed client ids start here, apart from the ids the generator and the fake model use. */
export const PRECOMPUTED_BASE = 10_000_000;

/** Scores the 24 products for a client from a hash of its id (a stand-in for a ranker's dot products). */
function scores(clientId: string): Float64Array {
  const h = createHash('sha256').update(clientId).digest();
  const out = new Float64Array(SANTANDER_PRODUCTS.length);
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let f = 0; f < 16; f++) s += ((h[(p + f) % h.length] - 128) / 128) * Math.sin(p * 16 + f);
    out[p] = 1 / (1 + Math.exp(-s));
  }
  return out;
}

const recommendations: RecommendationService = {
  recommend(clientId, k) {
    const s = scores(clientId);
    const order = Array.from(s.keys())
      .sort((a, b) => s[b] - s[a])
      .slice(0, k);
    return Promise.resolve({
      items: order.map((p) => ({ product: SANTANDER_PRODUCTS[p], score: s[p], reasons: ['bench ranker'] })),
      source: 'model',
      modelVersion: 'bench@1',
    });
  },
  recommendOnline(features, k) {
    return recommendations
      .recommend(JSON.stringify(features), k)
      .then((r) => ({ ...r, source: 'fallback' as const }));
  },
};

const DISCLAIMER = 'Оценивайте свои финансовые возможности и риски.';
function offers(items: OfferRequestItem[]): Promise<OfferAnswer[]> {
  return Promise.resolve(
    items.map((it) => {
      const s = scores(`${it.client_id}:${it.product}`);
      let text = `Клиент ${it.client_id}, для вас продукт ${it.product} по каналу ${it.channel}. Демобанк.`;
      if (it.product.includes('cred') || it.product.includes('tjcr')) text += ` ${DISCLAIMER}`;
      let segments = /[А-Яа-я]/.test(text) ? Math.ceil(text.length / 67) : Math.ceil(text.length / 153);
      // Too long for the channel: a short compliant template replaces the text.
      const fallback = it.channel === 'sms' && segments > 2;
      if (fallback) {
        text = `Демобанк: предложение ${it.product}. ${DISCLAIMER}`;
        segments = Math.ceil(text.length / 67);
      }
      return {
        client_id: it.client_id,
        product: it.product,
        channel: it.channel,
        text,
        title: `Предложение: ${it.product}`,
        confidence: s[0],
        offer_id: createHash('sha1')
          .update(`${it.client_id}|${it.product}|${it.channel}`)
          .digest('hex')
          .slice(0, 20),
        compliance_fallback: fallback,
        sms_segments: segments,
        model_version: 'bench@1',
      };
    }),
  );
}

export const BENCH_SERVICES: Services = { recommendations, offers: { generate: offers } };

export interface BenchServer {
  server: RunningServer;
  url: string;
  /** Clients the served recommender knows (real mode); empty with the in-bench services. */
  modelClients: Int32Array;
  close(): Promise<void>;
}

/**
 * Starts the server on PGlite in a temporary data directory, or on PostgreSQL at `databaseUrl`.
 * `real`: the server's own modules instead of the in-bench services — a recommender trained on a
 * generated panel (20,000 clients × 8 months), the offer engine with the shipped catalog.
 */
export async function startBenchServer(databaseUrl = '', real = false): Promise<BenchServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-bench-api-'));
  const config = loadConfig({
    NEXTOFFER_DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    NEXTOFFER_PORT: '0',
    NEXTOFFER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    NEXTOFFER_LOG_LEVEL: 'silent',
  });
  let modelClients: Int32Array = new Int32Array(0);
  if (real) {
    const panel = path.join(dir, 'panel.csv');
    await writeSantanderCsv(panel, { customers: 20_000, months: 8, seed: 7 });
    await runIngest(config, panel, {}, false);
    await trainAndRegister(config, DEFAULT_FIT_OPTIONS, { promote: true });
  }
  const server = await startServer(config, {
    services: real ? undefined : BENCH_SERVICES,
    handleSignals: false,
    log: false,
  });
  if (real) {
    const registry = new ModelRegistry(server.db, openArtifactStore(config));
    modelClients = recommenderFromBytes(await registry.load(RECO_MODEL_NAME)).store.clients;
  }
  const rows = [];
  for (let c = 0; c < PRECOMPUTED_CLIENTS; c++)
    for (let p = 0; p < 7; p++)
      rows.push({
        client_id: PRECOMPUTED_BASE + c,
        product: SANTANDER_PRODUCTS[(c + p * 3) % 24],
        score: 1 - p / 10,
        reasons: ['precomputed'],
      });
  const res = await fetch(`${server.url}/v1/recommendations/load`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  if (!res.ok) throw new Error(`loading the precomputed set failed: ${res.status} ${await res.text()}`);
  return {
    server,
    url: server.url,
    modelClients,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
