/**
 * The container deployment without a Docker engine: `deploy/compose.yaml` parsed with `yaml`
 * (services, ports, healthchecks, volumes, mounted files, env file), `deploy/Dockerfile` read
 * instruction by instruction (stages, non-root user, healthcheck, what the runtime image holds),
 * and the Prometheus configuration and alert rules checked by `promtool` (skipped without it).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SETTINGS } from '../src/config.js';

const DEPLOY = path.resolve(import.meta.dirname, '..', 'deploy');
const PROMTOOL = '/usr/bin/promtool';
const read = (f: string) => readFileSync(path.join(DEPLOY, f), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports?: string[];
  expose?: string[];
  env_file?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  configs: Record<string, { content: string }>;
}

const compose = parse(read('compose.yaml'), { merge: true }) as Compose;
const envExample = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

describe('deploy/compose.yaml', () => {
  it('runs nextoffer with its services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'cli',
        'grafana',
        'lb',
        'minio',
        'minio-init',
        'nextoffer',
        'postgres',
        'prometheus',
        'redis',
        'worker',
      ].sort(),
    );
    const api = compose.services.nextoffer;
    expect(api.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(api.command).toEqual(['serve']);
    expect(api.env_file).toBe('.env');
    expect(api.environment).toMatchObject({ NEXTOFFER_HOST: '0.0.0.0', NEXTOFFER_DATA_DIR: '/data' });
    // Replicas keep their outbox in their own anonymous /data volume; datasets live in nextoffer-data.
    expect(api.volumes).toBeUndefined();
    expect(compose.services.cli.volumes).toEqual(['nextoffer-data:/data']);
    expect(api.ports).toBeUndefined(); // replicas are reached through the balancer only
    expect(Object.keys(api.depends_on ?? {}).sort()).toEqual(['minio-init', 'postgres', 'redis']);
    expect(compose.services.worker.command?.[0]).toBe('worker');
    expect(compose.services.worker.deploy?.replicas).toBe(2);
  });

  it('publishes the balancer, Grafana, Prometheus and the MinIO console', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services).map(([name, s]) => [name, s.ports ?? []]),
    );
    expect(published.lb).toEqual(['8080:8080']);
    expect(published.grafana).toEqual(['127.0.0.1:3000:3000']);
    expect(published.prometheus).toEqual(['127.0.0.1:9090:9090']);
    expect(published.minio).toEqual(['127.0.0.1:9001:9001']);
    expect(published.postgres).toEqual([]);
    expect(published.redis).toEqual([]);
  });

  it('gives every long-running service a healthcheck; nextoffer asks /health', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (name === 'minio-init' || name === 'worker' || name === 'cli') continue;
      expect(s.healthcheck?.test, name).toBeDefined();
    }
    expect(compose.services.nextoffer.healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:8080/health');
    expect(compose.services.worker.healthcheck).toEqual({ disable: true });
    expect(compose.services.nextoffer.depends_on?.postgres.condition).toBe('service_healthy');
  });

  it('keeps data in named volumes and mounts files that exist', () => {
    const used = new Set<string>();
    for (const [name, s] of Object.entries(compose.services))
      for (const v of s.volumes ?? []) {
        const [source] = v.split(':');
        if (source.startsWith('.'))
          expect(existsSync(path.join(DEPLOY, source)), `${name}: ${source}`).toBe(true);
        else used.add(source);
      }
    expect([...used].sort()).toEqual(Object.keys(compose.volumes).sort());
    for (const [service, volume] of [
      ['postgres', 'postgres-data:/var/lib/postgresql/data'],
      ['minio', 'minio-data:/data'],
      ['redis', 'redis-data:/data'],
      ['prometheus', 'prometheus-data:/prometheus'],
      ['grafana', 'grafana-data:/var/lib/grafana'],
    ])
      expect(compose.services[service].volumes).toContain(volume);
  });

  it('takes secrets from the env file; the example holds no real secret', () => {
    expect(compose.configs.metrics_token.content).toMatch(/^\$\{NEXTOFFER_METRICS_TOKEN:\?/);
    const known = new Set<string>(Object.values(SETTINGS).map((s) => s.env));
    for (const key of Object.keys(envExample))
      expect(known.has(key) || /^(POSTGRES|MINIO|GF)_/.test(key), `${key} is not a known setting`).toBe(true);
    for (const key of [
      'DATABASE_URL',
      'S3_BUCKET',
      'S3_ENDPOINT',
      'NEXTOFFER_METRICS_TOKEN',
      'NEXTOFFER_REDIS_URL',
    ])
      expect(envExample[key], key).not.toBe('');
    for (const [key, value] of Object.entries(envExample))
      if (/PASSWORD|SECRET|TOKEN/.test(key)) expect(value, key).toMatch(/^change-me/);
    expect(envExample.DATABASE_URL).toContain(
      `${envExample.POSTGRES_USER}:${envExample.POSTGRES_PASSWORD}@postgres:5432/`,
    );
    expect(envExample.S3_SECRET_ACCESS_KEY).toBe(envExample.MINIO_ROOT_PASSWORD);
  });
});

describe('deploy/Dockerfile', () => {
  const lines = read('Dockerfile')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: { from: string; name: string; body: string[] }[] = [];
  for (const l of lines) {
    const from = /^FROM (\S+) AS (\S+)$/i.exec(l);
    if (from) stages.push({ from: from[1], name: from[2], body: [] });
    else stages[stages.length - 1].body.push(l);
  }

  it('builds in one stage and runs a slim Node 20 image', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    const [build, deps, runtime] = stages;
    expect(runtime.from).toMatch(/^node:20[\w.-]*-slim$/);
    expect(build.body).toContain('RUN npm ci --ignore-scripts');
    expect(build.body.some((l) => l.startsWith('RUN npm run build'))).toBe(true);
    expect(deps.body.some((l) => /^RUN npm ci --omit=dev/.test(l))).toBe(true);
    for (const part of ['./node_modules', './bin', './dist', './web/dist', './catalog'])
      expect(
        runtime.body.some((l) => l.startsWith('COPY --from=') && l.endsWith(part)),
        part,
      ).toBe(true);
  });

  it('runs as a non-root user with a healthcheck on /health', () => {
    const runtime = stages[2].body;
    const user = runtime.find((l) => l.startsWith('USER '));
    expect(user).toBe('USER node');
    const health = runtime.find((l) => l.startsWith('HEALTHCHECK '));
    expect(health).toContain('/health');
    expect(health).toContain('"node", "-e"');
    expect(runtime).toContain('EXPOSE 8080');
    expect(runtime).toContain('ENTRYPOINT ["node", "bin/nextoffer.js"]');
    expect(runtime.find((l) => l.startsWith('ENV '))).toContain('NEXTOFFER_HOST=0.0.0.0');
  });

  it('.dockerignore keeps dependencies, builds, data and secrets out of the context', () => {
    const ignored = readFileSync(path.join(DEPLOY, '..', '.dockerignore'), 'utf8').split('\n');
    for (const p of ['node_modules', '.git', 'dist', 'data', '.env', 'deploy/.env'])
      expect(ignored).toContain(p);
  });
});

describe.runIf(existsSync(PROMTOOL))('promtool', () => {
  const run = promisify(execFile);
  it('accepts deploy/prometheus.yml and deploy/alerts.yml', async () => {
    // The config reads the token from a file beside it (mounted by compose); promtool wants it to exist.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-promtool-'));
    try {
      for (const f of ['prometheus.yml', 'alerts.yml'])
        await copyFile(path.join(DEPLOY, f), path.join(dir, f));
      await writeFile(path.join(dir, 'metrics_token'), 'token\n');
      const config = await run(PROMTOOL, ['check', 'config', path.join(dir, 'prometheus.yml')]);
      expect(config.stdout).toContain('is valid prometheus config file syntax');
      const rules = await run(PROMTOOL, ['check', 'rules', path.join(DEPLOY, 'alerts.yml')]);
      expect(rules.stdout).toContain('SUCCESS: 5 rules found');
      // And it does reject a broken rule file (the check can fail).
      await writeFile(
        path.join(dir, 'bad.yml'),
        'groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: sum(\n',
      );
      await expect(run(PROMTOOL, ['check', 'rules', path.join(dir, 'bad.yml')])).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
