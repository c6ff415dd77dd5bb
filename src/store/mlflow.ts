/**
 * Mirrors experiment runs to an MLflow tracking server over its REST API (2.0): the experiment is
 * looked up by name (`experiments/get-by-name`) or created (`experiments/create`); a run start
 * creates an MLflow run (`runs/create`) and logs its params and tags (`runs/log-batch`); the end
 * logs metrics and timings (`runs/log-batch`) and sets the status (`runs/update`).
 */
import { AppError, errorMessage } from '../errors.js';
import type { RunRecord, RunSink } from './runs.js';

export interface MlflowOptions {
  trackingUri: string;
  experimentName: string;
  /** Injected for tests; default: global fetch. */
  fetch?: typeof fetch;
}

interface KeyValue {
  key: string;
  value: string;
}

interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** MLflow limits per log-batch request (REST API documentation). */
const MAX_PARAMS = 100;
const MAX_METRICS = 1000;
const MAX_PARAM_VALUE = 6000;

/** Flattens nested params to dotted keys with string values (MLflow params are strings). */
export function flattenParams(params: Record<string, unknown>, prefix = ''): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      out.push(...flattenParams(v as Record<string, unknown>, key));
    else out.push({ key, value: (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, MAX_PARAM_VALUE) });
  }
  return out;
}

export class MlflowSink implements RunSink {
  readonly #base: string;
  readonly #experimentName: string;
  readonly #fetch: typeof fetch;
  #experimentId: Promise<string> | null = null;
  readonly #runIds = new Map<string, string>();

  constructor(options: MlflowOptions) {
    this.#base = options.trackingUri.replace(/\/+$/, '');
    this.#experimentName = options.experimentName;
    this.#fetch = options.fetch ?? fetch;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const url = `${this.#base}/api/2.0/mlflow/${path}`;
    let res: Response;
    try {
      res = await this.#fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new AppError('TRACKING_FAILED', `MLflow ${url}: ${errorMessage(e)}`, { cause: e });
    }
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as T;
    return { status: res.status, json };
  }

  async #ok<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const r = await this.#call<T & { message?: string; error_code?: string }>(method, path, body);
    if (r.status >= 300)
      throw new AppError(
        'TRACKING_FAILED',
        `MLflow ${path}: HTTP ${r.status} ${r.json.error_code ?? ''} ${r.json.message ?? ''}`.trim(),
      );
    return r.json;
  }

  experimentId(): Promise<string> {
    this.#experimentId ??= (async () => {
      const name = encodeURIComponent(this.#experimentName);
      const found = await this.#call<{ experiment?: { experiment_id: string } }>(
        'GET',
        `experiments/get-by-name?experiment_name=${name}`,
      );
      if (found.status === 200 && found.json.experiment) return found.json.experiment.experiment_id;
      const created = await this.#ok<{ experiment_id: string }>('POST', 'experiments/create', {
        name: this.#experimentName,
      });
      return created.experiment_id;
    })();
    this.#experimentId.catch(() => (this.#experimentId = null));
    return this.#experimentId;
  }

  async onStart(run: RunRecord): Promise<void> {
    const experimentId = await this.experimentId();
    const tags: KeyValue[] = [
      { key: 'mlflow.runName', value: `${run.kind}:${run.name}` },
      { key: 'nextoffer.run_id', value: run.id },
      { key: 'nextoffer.kind', value: run.kind },
    ];
    if (run.gitCommit) tags.push({ key: 'mlflow.source.git.commit', value: run.gitCommit });
    if (run.dataFingerprint) tags.push({ key: 'nextoffer.data_fingerprint', value: run.dataFingerprint });
    const created = await this.#ok<{ run: { info: { run_id: string } } }>('POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: `${run.kind}:${run.name}`,
      start_time: run.startedAt.getTime(),
      tags,
    });
    const runId = created.run.info.run_id;
    this.#runIds.set(run.id, runId);
    const params = flattenParams(run.params);
    for (let i = 0; i < params.length; i += MAX_PARAMS)
      await this.#ok('POST', 'runs/log-batch', { run_id: runId, params: params.slice(i, i + MAX_PARAMS) });
  }

  async onFinish(run: RunRecord): Promise<void> {
    if (!this.#runIds.has(run.id)) await this.onStart(run);
    const runId = this.#runIds.get(run.id) as string;
    const at = (run.finishedAt ?? new Date()).getTime();
    const metrics: Metric[] = [
      ...Object.entries(run.metrics).map(([key, value]) => ({ key, value, timestamp: at, step: 0 })),
      ...Object.entries(run.timings).map(([key, value]) => ({
        key: `time.${key}`,
        value,
        timestamp: at,
        step: 0,
      })),
    ];
    for (let i = 0; i < metrics.length; i += MAX_METRICS)
      await this.#ok('POST', 'runs/log-batch', { run_id: runId, metrics: metrics.slice(i, i + MAX_METRICS) });
    const tags: KeyValue[] = [];
    if (run.artifacts.length)
      tags.push({ key: 'nextoffer.artifacts', value: run.artifacts.join(',').slice(0, 5000) });
    if (run.error) tags.push({ key: 'nextoffer.error', value: run.error.slice(0, 5000) });
    if (tags.length) await this.#ok('POST', 'runs/log-batch', { run_id: runId, tags });
    await this.#ok('POST', 'runs/update', {
      run_id: runId,
      status: run.status === 'failed' ? 'FAILED' : 'FINISHED',
      end_time: at,
    });
    this.#runIds.delete(run.id);
  }
}
