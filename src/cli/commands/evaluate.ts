import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { evaluatePanel } from '../../reco/evaluate-panel.js';
import { addFitFlags, fitOptionsFromFlags, type FitFlags } from '../reco-flags.js';
import { recoProgress } from '../reco-progress.js';
import { configWith, print, printJson, sha256File, withDatabase, type CommonFlags } from '../context.js';
import { numericMetrics, openRuns, tracked } from '../tracking.js';
import path from 'node:path';

interface Flags extends CommonFlags, FitFlags {
  panel?: string;
  targetMonth?: string;
  quiet?: boolean;
}

const MONTH = /^\d{4}-\d{2}-28$/;

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('time-split evaluation: train on the months before --target-month, score its additions');
  cmd
    .option('--panel <file>', 'panel in the train_ver2 layout (ingested into a temporary directory)')
    .option('--target-month <date>', 'month to predict, YYYY-MM-28')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the metrics as one JSON object')
    .option('--quiet', 'no progress on stderr');
  addFitFlags(cmd);
  cmd.action(async (flags: Flags) => {
    if (!flags.panel) throw new AppError('ARGUMENT_INVALID', '--panel FILE is required');
    if (!flags.targetMonth || !MONTH.test(flags.targetMonth))
      throw new AppError('ARGUMENT_INVALID', '--target-month: required, as YYYY-MM-28 (e.g. 2016-05-28)');
    const config = configWith(flags);
    const options = fitOptionsFromFlags(flags);
    const progress = recoProgress('evaluate', flags.quiet);
    const panel = flags.panel;
    const target = flags.targetMonth;
    const sha = await sha256File(panel);
    if (!sha) throw new AppError('INPUT_NOT_FOUND', `--panel ${panel}: cannot read the file`);
    const result = await withDatabase(config, async (db) => {
      const { value } = await tracked(
        openRuns(db, config),
        {
          kind: 'evaluate',
          name: 'reco',
          params: { ...options, panel: path.resolve(panel), targetMonth: target },
          dataFingerprint: `sha256:${sha}`,
        },
        async (run) => {
          const r = await evaluatePanel(
            panel,
            target,
            options,
            { threads: config.threads, memoryLimit: config.memoryLimit },
            { onProgress: progress.onProgress },
          );
          progress.done();
          return {
            value: { ...r, run_id: run.id },
            end: {
              metrics: numericMetrics({
                ...r,
                train_seconds: undefined,
                predict_seconds: undefined,
                ingest_seconds: undefined,
              }),
              timings: { ingest: r.ingest_seconds, train: r.train_seconds, predict: r.predict_seconds },
            },
          };
        },
      );
      return value;
    });
    if (flags.json) return printJson(result);
    print(
      Object.entries(result)
        .map(([k, v]) => `${k.padEnd(16)} ${typeof v === 'number' ? +v.toFixed(4) : v}`)
        .join('\n'),
    );
  });
}
