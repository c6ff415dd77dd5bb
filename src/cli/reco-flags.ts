/** Flags shared by `evaluate` and `train`: which model, ranker mode, months, seed. */
import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { DEFAULT_FIT_OPTIONS, type FitOptions } from '../reco/fit.js';
import { MODEL_KINDS, type ModelKind } from '../reco/model.js';
import { intFlag } from './context.js';

export interface FitFlags {
  model?: string;
  ranker?: string;
  trainMonths?: string;
  maxTrainRows?: string;
  seed?: string;
  refit?: boolean;
  stopOn?: string;
}

export function addFitFlags(cmd: Command): Command {
  return cmd
    .option('--model <kind>', `${MODEL_KINDS.join('|')}`, 'hybrid')
    .option('--ranker <mode>', 'multiclass|binary (GBDT ranker layout)', 'multiclass')
    .option(
      '--train-months <n>',
      'months of additions to learn from',
      String(DEFAULT_FIT_OPTIONS.trainMonths),
    )
    .option(
      '--max-train-rows <n>',
      'cap on client-month training rows, 0 = none',
      String(DEFAULT_FIT_OPTIONS.maxTrainRows),
    )
    .option('--seed <n>', 'random seed of sampling, ALS and the ranker (default: the built-in seeds)')
    .option(
      '--refit',
      'after early stopping, refit the ranker on all training months (default: keep the validated model)',
    )
    .option('--stop-on <month>', 'training month held out for early stopping: last|first', 'last');
}

export function fitOptionsFromFlags(flags: FitFlags): FitOptions {
  const model = (flags.model ?? 'hybrid') as ModelKind;
  if (!MODEL_KINDS.includes(model))
    throw new AppError(
      'ARGUMENT_INVALID',
      `--model ${JSON.stringify(flags.model)}: one of ${MODEL_KINDS.join(', ')}`,
    );
  const mode = flags.ranker ?? 'multiclass';
  if (mode !== 'multiclass' && mode !== 'binary')
    throw new AppError('ARGUMENT_INVALID', `--ranker ${JSON.stringify(mode)}: multiclass or binary`);
  const seed = intFlag('seed', flags.seed);
  const gbdt = { ...DEFAULT_FIT_OPTIONS.ranker.gbdt, ...(seed === undefined ? {} : { seed }) };
  return {
    ...DEFAULT_FIT_OPTIONS,
    model,
    features: { ...DEFAULT_FIT_OPTIONS.features, als: model === 'hybrid' },
    ranker: { ...DEFAULT_FIT_OPTIONS.ranker, mode, gbdt },
    trainMonths: intFlag('train-months', flags.trainMonths, 1) ?? DEFAULT_FIT_OPTIONS.trainMonths,
    maxTrainRows: intFlag('max-train-rows', flags.maxTrainRows) ?? DEFAULT_FIT_OPTIONS.maxTrainRows,
    refit: flags.refit ?? false,
    stopOn: stopOn(flags.stopOn),
    seed: seed ?? DEFAULT_FIT_OPTIONS.seed,
  };
}

function stopOn(raw: string | undefined): 'first' | 'last' {
  if (raw === undefined || raw === 'last') return 'last';
  if (raw === 'first') return 'first';
  throw new AppError('ARGUMENT_INVALID', `--stop-on ${JSON.stringify(raw)}: last or first`);
}
