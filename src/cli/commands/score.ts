import type { Command } from 'commander';
import { scoreAll, waitForRun, type ProgressHook } from '../../batch/run.js';
import { AppError } from '../../errors.js';
import { ScoringStore } from '../../store/scoring.js';
import { configWith, intFlag, print, printJson, withDatabase, type CommonFlags } from '../context.js';
import { createProgress } from '../progress.js';

interface Flags extends CommonFlags {
  all?: boolean;
  status?: string;
  publish?: string;
  list?: boolean;
  k: string;
  shardSize: string;
  run?: string;
  modelVersion?: string;
  wait?: boolean;
}

function progressHook(label: string, enabled: boolean): { hook: ProgressHook; done: (note: string) => void } {
  const bar = createProgress(label, enabled ? {} : { enabled: false });
  return {
    hook: (p) => {
      const q = p.queue
        ? ` · active ${p.queue.active} waiting ${p.queue.waiting} failed ${p.queue.failed}`
        : '';
      bar.update(p.shardsDone, p.shards, `${p.shardsDone}/${p.shards} shards · ${p.clientsDone} clients${q}`);
    },
    done: (note) => bar.done(note),
  };
}

export function registerScore(program: Command): void {
  program
    .command('score')
    .description(
      'batch scoring: --all scores every client of the dataset with the promoted recommender, in shards ' +
        '(queued for `nextoffer worker` processes when NEXTOFFER_REDIS_URL is set, else in-process)',
    )
    .option('--all', 'score every client of the dataset')
    .option('--k <k>', 'products per client', '7')
    .option('--shard-size <n>', 'clients per shard (one job each)', '5000')
    .option(
      '--run <id>',
      'run id (default: derived from model version, k, shard size and clients; rerunning resumes it)',
    )
    .option('--model-version <n>', 'model version (default: the promoted one)')
    .option('--wait', 'with a queue: wait until every shard is written, showing progress')
    .option('--status <run>', 'progress of a run')
    .option('--list', 'recent runs')
    .option('--publish <run>', 'serve a finished run as the precomputed recommendations')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (flags: Flags) => {
      const config = configWith(flags);
      const modes = [flags.all, flags.status, flags.publish, flags.list].filter((x) => x !== undefined);
      if (modes.length !== 1)
        throw new AppError(
          'ARGUMENT_INVALID',
          'give exactly one of --all, --status RUN, --list, --publish RUN',
        );
      await withDatabase(config, async (db) => {
        const store = new ScoringStore(db);
        if (flags.list) {
          const runs = await store.listRuns();
          if (flags.json) return printJson(runs);
          for (const r of runs)
            print(
              `${r.id}  ${r.modelName} v${r.modelVersion} k${r.k}  ${r.clients} clients in ${r.shards} shards  ` +
                `${r.mode}  ${r.finishedAt ? 'finished' : 'incomplete'}${r.publishedAt ? ', published' : ''}`,
            );
          return;
        }
        if (flags.publish !== undefined) {
          const loaded = await store.publish(flags.publish, 'cli');
          if (flags.json) return printJson({ run: flags.publish, ...loaded });
          return print(
            `published ${flags.publish}: ${loaded.rows} rows for ${loaded.clients} clients (load ${loaded.loadId})`,
          );
        }
        if (flags.status !== undefined) {
          const p = await store.progress(flags.status);
          if (flags.json) return printJson(p);
          return print(
            `${p.run.id}: ${p.shardsDone}/${p.run.shards} shards, ${p.clientsDone}/${p.run.clients} clients` +
              (p.run.finishedAt ? ' — finished' : ''),
          );
        }
        const k = intFlag('k', flags.k, 1) ?? 7;
        if (k > 24) throw new AppError('ARGUMENT_INVALID', `--k ${k}: at most 24 products`);
        const shardSize = intFlag('shard-size', flags.shardSize, 1) ?? 5000;
        const version = intFlag('model-version', flags.modelVersion, 1);
        const progress = progressHook('score', !flags.json);
        const result = await scoreAll(config, db, { k, shardSize, runId: flags.run, version }, progress.hook);
        const final =
          result.mode === 'queue' && flags.wait
            ? await waitForRun(config, db, result.run.id, progress.hook)
            : await store.progress(result.run.id);
        progress.done(`${final.clientsDone} clients`);
        const summary = {
          run: result.run.id,
          mode: result.mode,
          created: result.created,
          model_version: result.run.modelVersion,
          k: result.run.k,
          clients: result.run.clients,
          shards: result.run.shards,
          shards_skipped: result.shardsSkipped,
          enqueued: result.enqueued,
          retried: result.retried,
          shards_done: final.shardsDone,
          clients_done: final.clientsDone,
          finished: final.shardsDone >= final.run.shards,
        };
        if (flags.json) return printJson(summary);
        print(
          `run ${summary.run} (${summary.mode}): ${summary.clients} clients in ${summary.shards} shards; ` +
            (summary.mode === 'queue'
              ? `${summary.enqueued} enqueued, ${summary.retried} retried, ${summary.shards_skipped} already done; `
              : '') +
            `${summary.shards_done}/${summary.shards} shards written` +
            (summary.finished ? '' : ` — follow with \`nextoffer score --status ${summary.run}\``),
        );
      });
    });
}
