import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_GENERATE_OPTIONS, assertGenerateOptions } from '../../data/generate/generate.js';
import { writeSantanderCsv } from '../../data/generate/write.js';
import { AppError } from '../../errors.js';
import { intFlag } from '../context.js';
import { createProgress } from '../progress.js';

interface GenerateFlags {
  customers: string;
  months: string;
  seed: string;
  out?: string;
  json?: boolean;
}

function outFlag(value: string | undefined): string {
  if (!value) throw new AppError('ARGUMENT_INVALID', '--out is required (FILE.csv or FILE.csv.gz)');
  const dir = path.dirname(path.resolve(value));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new AppError('ARGUMENT_INVALID', `--out: directory ${dir} does not exist`);
  }
  if (existsSync(value) && statSync(value).isDirectory()) {
    throw new AppError('ARGUMENT_INVALID', `--out: ${value} is a directory`);
  }
  return value;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write synthetic Santander data in the train_ver2.csv layout (deterministic for a seed)')
    .option('--customers <n>', 'distinct clients over the period', String(DEFAULT_GENERATE_OPTIONS.customers))
    .option('--months <m>', 'months from 2015-01-28', String(DEFAULT_GENERATE_OPTIONS.months))
    .option('--seed <s>', 'random seed', String(DEFAULT_GENERATE_OPTIONS.seed))
    .option('--out <file>', 'output file (.csv, or .csv.gz to gzip)')
    .option('--json', 'print a machine-readable summary on stdout')
    .action(async (flags: GenerateFlags) => {
      const options = {
        // Commander fills the defaults, so every flag has a value here.
        customers: intFlag('customers', flags.customers) ?? DEFAULT_GENERATE_OPTIONS.customers,
        months: intFlag('months', flags.months) ?? DEFAULT_GENERATE_OPTIONS.months,
        seed: intFlag('seed', flags.seed) ?? DEFAULT_GENERATE_OPTIONS.seed,
      };
      try {
        assertGenerateOptions(options);
      } catch (e) {
        if (e instanceof AppError)
          throw new AppError(e.code, e.message.replace(/\b(customers|months|seed)\b/g, '--$1'));
        throw e;
      }
      const out = outFlag(flags.out);
      const progress = createProgress('generate', flags.json ? { enabled: false } : {});
      const controller = new AbortController();
      const onSigint = () => controller.abort(new Error(`interrupted; ${out} not written`));
      process.once('SIGINT', onSigint);
      try {
        const summary = await writeSantanderCsv(out, options, {
          signal: controller.signal,
          onProgress: (done, total) => progress.update(done, total),
        });
        progress.done();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
          return;
        }
        const shares = summary.perMonth.flatMap((m) => (m.adderShare === null ? [] : [m.adderShare * 100]));
        const range = shares.length
          ? `${Math.min(...shares).toFixed(1)}–${Math.max(...shares).toFixed(1)}%`
          : 'n/a';
        process.stdout.write(
          `wrote ${summary.out}: ${summary.rows.toLocaleString('en-US')} rows, ` +
            `${summary.customers.toLocaleString('en-US')} customers, ${summary.months} months ` +
            `(${summary.firstMonth} .. ${summary.lastMonth}), ${(summary.bytes / 1e6).toFixed(1)} MB ` +
            `in ${summary.seconds.toFixed(1)} s; clients adding ≥1 product per month: ${range}\n`,
        );
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
