import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { compareRuns, Runs, type RunRecord } from '../../store/runs.js';
import { configWith, intFlag, print, printJson, withDatabase, type CommonFlags } from '../context.js';

interface ListFlags extends CommonFlags {
  kind?: string;
  limit: string;
}

const fmt = (v: number | null) => (v === null ? '-' : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(4));

function summary(r: RunRecord): string {
  const seconds = r.finishedAt ? ((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1) : '-';
  const m = ['map7', 'roc_auc'].filter((k) => k in r.metrics).map((k) => `${k}=${fmt(r.metrics[k])}`);
  return `${r.id}  ${r.startedAt.toISOString()}  ${r.kind}/${r.name}  ${r.status}  ${seconds}s  ${m.join(' ')}`;
}

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('experiment runs: train and evaluate with params, metrics, timings');
  runs
    .command('list')
    .option('--kind <kind>', 'only runs of this kind (train, evaluate, …)')
    .option('--limit <n>', 'at most this many, newest first', '20')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (flags: ListFlags) => {
      const list = await withDatabase(configWith(flags), (db) =>
        new Runs(db).list({ kind: flags.kind, limit: intFlag('limit', flags.limit, 1) }),
      );
      if (flags.json) return printJson(list);
      print(list.length ? list.map(summary).join('\n') : 'no runs');
    });
  runs
    .command('show <id>')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: CommonFlags) => {
      const run = await withDatabase(configWith(flags), (db) => new Runs(db).get(id));
      if (flags.json) return printJson(run);
      const block = (title: string, o: Record<string, unknown>) => [
        `${title}:`,
        ...Object.entries(o).map(
          ([k, v]) => `  ${k.padEnd(18)} ${typeof v === 'number' ? fmt(v) : JSON.stringify(v)}`,
        ),
      ];
      print(
        [
          summary(run),
          `data ${run.dataFingerprint ?? '-'}  commit ${run.gitCommit ?? '-'}`,
          ...(run.error ? [`error: ${run.error}`] : []),
          ...block('params', run.params),
          ...block('metrics', run.metrics),
          ...block('timings', run.timings),
          ...(run.artifacts.length ? [`artifacts: ${run.artifacts.join(', ')}`] : []),
        ].join('\n'),
      );
    });
  runs
    .command('compare <ids...>')
    .description('metrics side by side, with deltas against the first run')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (ids: string[], flags: CommonFlags) => {
      if (ids.length < 2) throw new AppError('ARGUMENT_INVALID', 'compare: give at least two run ids');
      const list = await withDatabase(configWith(flags), (db) =>
        Promise.all(ids.map((id) => new Runs(db).get(id))),
      );
      const table = compareRuns(list);
      if (flags.json) return printJson({ runs: ids, metrics: table });
      const head = [
        'metric'.padEnd(16),
        ...ids.map((id, i) => (i === 0 ? id.slice(0, 12) : `${id.slice(0, 12)} (Δ)`).padEnd(24)),
      ];
      const rows = table.map((t) =>
        [
          t.metric.padEnd(16),
          ...t.values.map((v, i) =>
            (i === 0 || v === null
              ? fmt(v)
              : `${fmt(v)} (${(t.deltas[i] ?? 0) >= 0 ? '+' : ''}${fmt(t.deltas[i])})`
            ).padEnd(24),
          ),
        ].join(' '),
      );
      print([head.join(' '), ...rows].join('\n'));
    });
}
