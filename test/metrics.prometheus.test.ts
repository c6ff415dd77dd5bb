/**
 * A real Prometheus (`/usr/bin/prometheus`) scrapes the API's `/metrics` with the bearer token:
 * a temporary prometheus.yml with a 1 s scrape interval, a temporary storage directory and a free
 * port; the test polls Prometheus's HTTP API until `up` is 1 and a request counter is visible.
 * Skipped only when the binary is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/api/server.js';
import { loadConfig } from '../src/config.js';
import { freePort } from '../bench/throwaway-postgres.js';

const PROMETHEUS = '/usr/bin/prometheus';
if (!existsSync(PROMETHEUS)) console.warn(`metrics.prometheus: skipped — ${PROMETHEUS} is not installed`);

async function query(
  port: number,
  q: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
  if (!res.ok) return [];
  const body = (await res.json()) as {
    data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data?.result ?? [];
}

describe.runIf(existsSync(PROMETHEUS))('Prometheus scrapes /metrics', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let prom: ChildProcess | undefined;
  afterAll(async () => {
    prom?.kill('SIGTERM');
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports the target up and the request counters', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-prom-'));
    const token = 'prometheus-test-token';
    const config = loadConfig({
      NEXTOFFER_DATA_DIR: dir,
      NEXTOFFER_PORT: '0',
      NEXTOFFER_METRICS_TOKEN: token,
      NEXTOFFER_ADMIN_PASSWORD: 'admin password for the test',
    });
    server = await startServer(config, { handleSignals: false, log: false });
    const apiPort = new URL(server.url).port;
    await fetch(`${server.url}/health`);
    const promPort = await freePort();
    await writeFile(
      path.join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: nextoffer',
        '    authorization:',
        `      credentials: ${token}`,
        '    static_configs:',
        `      - targets: ['127.0.0.1:${apiPort}']`,
        '',
      ].join('\n'),
    );
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
    let up: string | undefined;
    let health: string | undefined;
    for (let i = 0; i < 120 && (up !== '1' || health === undefined); i++) {
      await new Promise((r) => setTimeout(r, 500));
      up = (await query(promPort, 'up{job="nextoffer"}').catch(() => []))[0]?.value[1];
      health = (await query(promPort, 'nextoffer_http_requests_total{route="/health"}').catch(() => []))[0]
        ?.value[1];
    }
    expect(up).toBe('1');
    expect(Number(health)).toBeGreaterThanOrEqual(1);
  });
});
