import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase } from '../store/db.js';
import { ensureAdmin, startServer } from './server.js';

describe('startServer', () => {
  it('creates the first admin once, and on shutdown finishes in-flight requests and stores their history', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-serve-'));
    const config = loadConfig({ NEXTOFFER_DATA_DIR: dir, NEXTOFFER_PORT: '0' });
    try {
      let release: () => void = () => undefined;
      const slow = new Promise<void>((r) => (release = r));
      const server = await startServer(config, {
        handleSignals: false,
        log: false,
        services: {
          recommendations: {
            recommend: async () => {
              await slow;
              return {
                items: [{ product: 'p', score: 1, reasons: [] }],
                source: 'model',
                modelVersion: 'm1',
              };
            },
            recommendOnline: () => Promise.reject(new Error('unused')),
          },
        },
      });
      const password = server.firstAdmin?.generatedPassword;
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
      const inFlight = fetch(`${server.url}/v1/recommendations`, {
        method: 'POST',
        headers: {
          authorization: auth,
          'content-type': 'application/json',
          'x-request-id': '11111111-2222-4333-8444-555555555555',
        },
        body: JSON.stringify({ client_id: 'c1' }),
      });
      await new Promise((r) => setTimeout(r, 200));
      const closing = server.close();
      await new Promise((r) => setTimeout(r, 100));
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
      release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { source: string }).source).toBe('model');
      await closing;

      const db = await openDatabase(config);
      const rows = await db.query<{ id: string; user_name: string }>(
        'select id, user_name from api_requests',
      );
      const again = await ensureAdmin(db, { ...config, adminPassword: 'another admin password' });
      await db.close();
      expect(again).toBeNull();
      expect(rows).toEqual([{ id: '11111111-2222-4333-8444-555555555555', user_name: 'admin' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
