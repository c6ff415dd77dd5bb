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
import { loadConfig } from '../src/config.js';
import { SANTANDER_PRODUCTS } from '../src/data/santander-schema.js';

export const ADMIN_PASSWORD = 'bench admin password';
export const AUTH = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
export const PRECOMPUTED_CLIENTS = 20_000;

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
      let text = `Клиент ${it.client_id}, для вас продукт ${it.product} по каналу ${it.channel}. Банк ГПБ (АО).`;
      if (it.product.includes('cred') || it.product.includes('tjcr')) text += ` ${DISCLAIMER}`;
      let segments = /[А-Яа-я]/.test(text) ? Math.ceil(text.length / 67) : Math.ceil(text.length / 153);
      // Too long for the channel: a short compliant template replaces the text.
      const fallback = it.channel === 'sms' && segments > 2;
      if (fallback) {
        text = `Банк ГПБ (АО): предложение ${it.product}. ${DISCLAIMER}`;
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
  close(): Promise<void>;
}

/** Starts the server on PGlite in a temporary data directory, or on PostgreSQL at `databaseUrl`. */
export async function startBenchServer(databaseUrl = ''): Promise<BenchServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-bench-api-'));
  const config = loadConfig({
    NEXTOFFER_DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    NEXTOFFER_PORT: '0',
    NEXTOFFER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    NEXTOFFER_LOG_LEVEL: 'silent',
  });
  const server = await startServer(config, { services: BENCH_SERVICES, handleSignals: false, log: false });
  const rows = [];
  for (let c = 0; c < PRECOMPUTED_CLIENTS; c++)
    for (let p = 0; p < 7; p++)
      rows.push({
        client_id: c,
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
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
