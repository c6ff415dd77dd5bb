/**
 * Every metric the Grafana dashboard (deploy/grafana/dashboards/nextoffer.json) and the alert
 * rules (deploy/alerts.yml) query exists in `/metrics` of a running server (embedded defaults:
 * PGlite and files in a temporary data directory). Names are read from the `# TYPE` lines, so
 * labelled series with no samples yet count; `_bucket`, `_sum` and `_count` are accepted only
 * on histograms and summaries.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startServer, type RunningServer } from '../src/api/server.js';
import { loadConfig } from '../src/config.js';

const DEPLOY = path.resolve(import.meta.dirname, '..', 'deploy');

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(path.join(DEPLOY, 'grafana', 'dashboards', 'nextoffer.json'), 'utf8'),
) as {
  uid: string;
  panels: Panel[];
};
const rules = parse(readFileSync(path.join(DEPLOY, 'alerts.yml'), 'utf8')) as {
  groups: { rules: { alert: string; expr: string }[] }[];
};

/** Metric names (of nextoffer) in a PromQL expression. */
function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\bnextoffer_[a-zA-Z0-9_]+\b/g) ?? [])];
}

/** `name → type` from the `# TYPE` lines of a Prometheus text exposition. */
function declared(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1], m[2]);
  return out;
}

/** Names a query may use that the exposition does not declare. */
function unknownNames(names: readonly string[], types: Map<string, string>): string[] {
  return names.filter((n) => {
    if (types.has(n)) return false;
    const m = /^(.*)_(bucket|sum|count)$/.exec(n);
    if (m === null) return true;
    const type = types.get(m[1]);
    if (type === 'histogram') return false;
    return !(type === 'summary' && m[2] !== 'bucket');
  });
}

describe('dashboard and alert metrics exist on a running server', () => {
  let dir = '';
  let server: RunningServer | undefined;
  let types = new Map<string, string>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-dash-'));
    const config = loadConfig({
      NEXTOFFER_DATA_DIR: dir,
      NEXTOFFER_PORT: '0',
      NEXTOFFER_ADMIN_PASSWORD: 'admin password for the dashboard test',
    });
    server = await startServer(config, { handleSignals: false, log: false });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    types = declared(await res.text());
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the dashboard covers traffic, latency, errors, sources, offers, feedback, drift and the outbox', () => {
    const all = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr)));
    for (const name of [
      'nextoffer_http_requests_total',
      'nextoffer_http_request_duration_seconds_bucket',
      'nextoffer_recommendation_answers_total',
      'nextoffer_offer_confidence_bucket',
      'nextoffer_offer_compliance_fallbacks_total',
      'nextoffer_feedback_total',
      'nextoffer_drift_psi',
      'nextoffer_drift_alert',
      'nextoffer_history_outbox_records',
    ])
      expect(all, name).toContain(name);
  });

  it('every metric name in the dashboard exists in /metrics', () => {
    expect(types.size).toBeGreaterThan(20);
    for (const panel of dashboard.panels)
      for (const t of panel.targets ?? [])
        expect(unknownNames(metricNames(t.expr), types), panel.title).toEqual([]);
  });

  it('every metric name in the alert rules exists in /metrics', () => {
    const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs.length).toBe(5);
    for (const e of exprs) expect(unknownNames(metricNames(e), types), e).toEqual([]);
  });

  it('the check rejects names the server does not export', () => {
    expect(unknownNames(['nextoffer_requests_total', 'nextoffer_feedback_total_bucket'], types)).toEqual([
      'nextoffer_requests_total',
      'nextoffer_feedback_total_bucket',
    ]);
    expect(unknownNames(['nextoffer_offer_confidence_sum', 'nextoffer_drift_psi'], types)).toEqual([]);
  });
});
