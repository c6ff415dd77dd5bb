import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowSink, flattenParams } from './mlflow.js';
import type { RunRecord } from './runs.js';

interface Seen {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

/**
 * A fake MLflow server that checks request shapes as the REST API documents them and answers
 * like MLflow (RESOURCE_DOES_NOT_EXIST for an unknown experiment).
 */
function fakeMlflow(seen: Seen[]): Server {
  const experiments = new Map<string, string>();
  let runs = 0;
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString()));
      req.on('end', () => resolve(s));
    });
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '', 'http://x');
      const text = await read(req);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      seen.push({ method: req.method ?? '', path: url.pathname, body });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const bad = (m: string) => send(400, { error_code: 'INVALID_PARAMETER_VALUE', message: m });
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /api/2.0/mlflow/experiments/get-by-name': {
          const id = experiments.get(url.searchParams.get('experiment_name') ?? '');
          return id
            ? send(200, { experiment: { experiment_id: id, name: url.searchParams.get('experiment_name') } })
            : send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no experiment' });
        }
        case 'POST /api/2.0/mlflow/experiments/create': {
          if (typeof body?.name !== 'string') return bad('name');
          experiments.set(body.name, String(experiments.size + 1));
          return send(200, { experiment_id: experiments.get(body.name) });
        }
        case 'POST /api/2.0/mlflow/runs/create': {
          if (typeof body?.experiment_id !== 'string' || typeof body.start_time !== 'number')
            return bad('run');
          if (!Array.isArray(body.tags)) return bad('tags');
          return send(200, { run: { info: { run_id: `r${++runs}`, experiment_id: body.experiment_id } } });
        }
        case 'POST /api/2.0/mlflow/runs/log-batch': {
          if (typeof body?.run_id !== 'string') return bad('run_id');
          for (const p of (body.params ?? []) as { key: unknown; value: unknown }[])
            if (typeof p.key !== 'string' || typeof p.value !== 'string') return bad('param');
          for (const m of (body.metrics ?? []) as Record<string, unknown>[])
            if (typeof m.key !== 'string' || typeof m.value !== 'number' || typeof m.timestamp !== 'number')
              return bad('metric');
          return send(200, {});
        }
        case 'POST /api/2.0/mlflow/runs/update': {
          if (!['FINISHED', 'FAILED', 'RUNNING', 'KILLED'].includes(String(body?.status)))
            return bad('status');
          return send(200, { run_info: { run_id: body?.run_id, status: body?.status } });
        }
        default:
          return send(404, { error_code: 'ENDPOINT_NOT_FOUND', message: url.pathname });
      }
    })();
  });
}

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  id: 'run-1',
  kind: 'evaluate',
  name: 'reco',
  status: 'running',
  params: { model: 'hybrid', ranker: { mode: 'multiclass', gbdt: { maxDepth: 6 } }, months: [1, 2] },
  metrics: {},
  timings: {},
  dataFingerprint: 'v1:abc',
  gitCommit: 'f'.repeat(40),
  artifacts: [],
  startedAt: new Date(1000),
  finishedAt: null,
  error: null,
  ...over,
});

describe('MlflowSink against a fake MLflow server', () => {
  const seen: Seen[] = [];
  const server = fakeMlflow(seen);
  let uri = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('creates the experiment once, then a run with params, metrics, timings and its status', async () => {
    const sink = new MlflowSink({ trackingUri: uri, experimentName: 'nextoffer-test' });
    await sink.onStart(run());
    await sink.onFinish(
      run({
        status: 'succeeded',
        metrics: { map7: 0.87 },
        timings: { train: 12.5 },
        finishedAt: new Date(5000),
      }),
    );
    await sink.onStart(run({ id: 'run-2' }));
    await sink.onFinish(run({ id: 'run-2', status: 'failed', error: 'boom', finishedAt: new Date(6000) }));
    const paths = seen.map((s) => `${s.method} ${s.path.replace('/api/2.0/mlflow/', '')}`);
    expect(paths.filter((p) => p.includes('experiments/'))).toEqual([
      'GET experiments/get-by-name',
      'POST experiments/create',
    ]);
    const create = seen.find((s) => s.path.endsWith('runs/create'));
    expect(create?.body).toMatchObject({ experiment_id: '1', start_time: 1000, run_name: 'evaluate:reco' });
    expect(create?.body?.tags).toContainEqual({ key: 'nextoffer.data_fingerprint', value: 'v1:abc' });
    const batches = seen.filter((s) => s.path.endsWith('runs/log-batch')).map((s) => s.body ?? {});
    expect(batches[0].params).toContainEqual({ key: 'ranker.gbdt.maxDepth', value: '6' });
    expect(batches[1].metrics).toEqual([
      { key: 'map7', value: 0.87, timestamp: 5000, step: 0 },
      { key: 'time.train', value: 12.5, timestamp: 5000, step: 0 },
    ]);
    const updates = seen.filter((s) => s.path.endsWith('runs/update')).map((s) => s.body);
    expect(updates).toEqual([
      { run_id: 'r1', status: 'FINISHED', end_time: 5000 },
      { run_id: 'r2', status: 'FAILED', end_time: 6000 },
    ]);
  });

  it('reports a server error with its MLflow error code', async () => {
    const sink = new MlflowSink({ trackingUri: `${uri}nope`, experimentName: 'x' });
    await expect(sink.onStart(run())).rejects.toThrow(/ENDPOINT_NOT_FOUND/);
  });

  it('flattens nested params to strings', () => {
    expect(flattenParams({ a: { b: 1, c: 'x' }, d: [1, 2], e: null })).toEqual([
      { key: 'a.b', value: '1' },
      { key: 'a.c', value: 'x' },
      { key: 'd', value: '[1,2]' },
      { key: 'e', value: 'null' },
    ]);
  });
});
