/**
 * Test support for the API: an app on in-memory PGlite with one user per role, Basic headers,
 * and small fakes of the domain services.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Database } from '../store/db.js';
import { openPglite } from '../store/db-pglite.js';
import { migrate } from '../store/migrate.js';
import { UserRepository, type Role } from '../store/users.js';
import { buildApp, type AppOptions } from './app.js';
import { hashPassword } from './auth/passwords.js';
import type { OfferRequestItem, Services } from './services.js';

/** Cheap scrypt for tests (the format records the parameters; production uses the default). */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const PASSWORD = 'correct horse battery';

export function basic(name: string, password = PASSWORD): string {
  return `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
}

export const AS: Record<Role, { authorization: string }> = {
  admin: { authorization: basic('admin') },
  operator: { authorization: basic('operator') },
  analyst: { authorization: basic('analyst') },
  api: { authorization: basic('api') },
};

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

export async function createTestApp(
  options: { services?: Services; env?: Record<string, string>; db?: Database } & Partial<
    Pick<AppOptions, 'history'>
  > = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-api-'));
  const config = loadConfig({ NEXTOFFER_DATA_DIR: dataDir, ...options.env });
  const db = options.db ?? (await openPglite());
  if (!options.db) await migrate(db);
  const users = new UserRepository(db);
  for (const role of ['admin', 'operator', 'analyst', 'api'] as const)
    if (!(await users.get(role))) await users.create(role, role, await hashPassword(PASSWORD, TEST_SCRYPT));
  const app = await buildApp({
    config,
    db,
    services: options.services,
    history: options.history ?? { flushIntervalMs: 5 },
  });
  return {
    app,
    db,
    config,
    dataDir,
    close: async () => {
      await app.close();
      if (!options.db) await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/* eslint-disable @typescript-eslint/require-await -- the fakes implement async interfaces without awaiting anything */
/** Deterministic fakes of every service, answering like the real modules would. */
export function fakeServices(): Required<Omit<Services, 'learning'>> {
  const products = ['ind_recibo_ult1', 'ind_nom_pens_ult1', 'ind_cco_fin_ult1', 'ind_tjcr_fin_ult1'];
  const models = [
    { name: 'reco', version: 'v1', promoted: false, created_at: '2026-01-01T00:00:00.000Z' },
    { name: 'reco', version: 'v2', promoted: true, created_at: '2026-02-01T00:00:00.000Z' },
  ];
  return {
    recommendations: {
      recommend: async (clientId, k) => ({
        items: products
          .slice(0, k)
          .map((product, i) => ({ product, score: 0.9 - i * 0.1, reasons: [`lag:${clientId}`] })),
        source: Number(clientId) % 2 === 0 ? 'model' : 'fallback',
        modelVersion: Number(clientId) % 2 === 0 ? 'reco@v2' : null,
      }),
      recommendOnline: async (features, k) => ({
        items: products
          .slice(0, k)
          .map((product, i) => ({ product, score: 0.5 - i * 0.1, reasons: ['cold-start'] })),
        source: 'fallback',
        modelVersion: typeof features.age === 'number' ? 'reco@v2' : null,
      }),
    },
    segments: {
      assign: async (features) => ({
        segment: Number(features.age ?? 0) >= 40 ? 1 : 0,
        name: Number(features.age ?? 0) >= 40 ? 'mature' : 'young',
        path: [`age ${Number(features.age ?? 0) >= 40 ? '>=' : '<'} 40`],
        modelVersion: 'seg@v1',
      }),
    },
    offers: {
      generate: async (items: OfferRequestItem[]) =>
        items.map((it, i) => ({
          client_id: it.client_id,
          product: it.product,
          channel: it.channel,
          text: `Offer of ${it.product} for ${it.client_id} by ${it.channel}`,
          title: 'Offer',
          confidence: ((it.client_id * 7 + i) % 10) / 10,
          offer_id: `off-${it.client_id}-${it.product}-${it.channel}`,
          compliance_fallback: i % 5 === 0,
          model_version: 'offers@v1',
        })),
    },
    models: {
      list: async (name) => models.filter((m) => name === undefined || m.name === name),
      promote: async (name, version) => {
        const m = models.find((x) => x.name === name && x.version === version);
        if (!m) throw new AppError('NOT_FOUND', `model ${name}@${version} does not exist`);
        for (const x of models) x.promoted = x === m;
        return m;
      },
      rollback: async (name) => {
        const m = models.find((x) => x.name === name && x.version === 'v1');
        if (!m) throw new AppError('NOT_FOUND', `model ${name} has nothing to roll back to`);
        return { ...m, promoted: true };
      },
    },
    runs: {
      list: async ({ limit, kind }) =>
        [
          {
            id: '1',
            kind: 'train',
            status: 'succeeded',
            started_at: '2026-01-01T00:00:00.000Z',
            finished_at: null,
          },
          {
            id: '2',
            kind: 'evaluate',
            status: 'running',
            started_at: '2026-01-02T00:00:00.000Z',
            finished_at: null,
          },
        ]
          .filter((r) => kind === undefined || r.kind === kind)
          .slice(0, limit),
    },
    segmentReports: {
      promoted: async () => ({
        name: 'segments',
        version: '3',
        created_at: '2026-02-01T00:00:00.000Z',
        metrics: { k: 2, silhouette: 0.41 },
        report: {
          k: 2,
          k_reason: 'silhouette',
          rows: 10,
          features: ['age'],
          sizes: [6, 4],
          rules: ['age < 40 → young'],
          k_selection: [
            {
              k: 2,
              inertia: 5,
              silhouette: 0.41,
              silhouetteExact: true,
              daviesBouldin: 0.8,
              calinskiHarabasz: 12,
            },
          ],
          profiles: [],
          projection: { explained_variance_ratio: [1], points: [{ x: 0.5, y: 0, segment: 0 }] },
        },
      }),
    },
  };
}
