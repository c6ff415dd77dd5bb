import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { evaluatePanel } from '../../reco/evaluate-panel.js';
import { addFitFlags, fitOptionsFromFlags, type FitFlags } from '../reco-flags.js';
import { recoProgress } from '../reco-progress.js';
import { configWith, print, printJson, type CommonFlags } from '../context.js';

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
    const result = await evaluatePanel(
      flags.panel,
      flags.targetMonth,
      options,
      { threads: config.threads, memoryLimit: config.memoryLimit },
      { onProgress: progress.onProgress },
    );
    progress.done();
    if (flags.json) return printJson(result);
    print(
      Object.entries(result)
        .map(([k, v]) => `${k.padEnd(16)} ${typeof v === 'number' ? +v.toFixed(4) : v}`)
        .join('\n'),
    );
  });
}
