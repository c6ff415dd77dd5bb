import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { SEGMENT_FORMATS, type FormatFlag } from '../../segments/formats.js';
import { loadSegmentInput } from '../../segments/load.js';
import { runSegmentation, type SegmentOptions, type SegmentReport } from '../../segments/run.js';
import { saveSegmentation, SEGMENT_MODEL_NAME } from '../../segments/save.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { Runs } from '../../store/runs.js';
import { configWith, intFlag, print, printJson, withDatabase } from '../context.js';
import { createProgress } from '../progress.js';

interface SegmentFlags {
  input?: string;
  format: string;
  features?: string;
  k: string;
  kRange: string;
  seed: string;
  sheet?: string;
  depth: string;
  gbdt?: boolean;
  save: boolean;
  json?: boolean;
  dataDir?: string;
}

function parseOptions(flags: SegmentFlags): SegmentOptions {
  const range = /^(\d+)-(\d+)$/.exec(flags.kRange);
  if (!range || Number(range[1]) < 2 || Number(range[2]) < Number(range[1]))
    throw new AppError(
      'ARGUMENT_INVALID',
      `--k-range ${JSON.stringify(flags.kRange)}: expected LO-HI with 2 ≤ LO ≤ HI`,
    );
  const kRange = Array.from(
    { length: Number(range[2]) - Number(range[1]) + 1 },
    (_, i) => Number(range[1]) + i,
  );
  const features = flags.features
    ?.split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (flags.features !== undefined && !features?.length)
    throw new AppError('ARGUMENT_INVALID', '--features: list at least one column');
  return {
    k: flags.k === 'auto' ? 'auto' : (intFlag('k', flags.k, 2) ?? 2),
    kRange,
    features,
    seed: intFlag('seed', flags.seed) ?? 0,
    treeDepth: intFlag('depth', flags.depth, 1) ?? 8,
    gbdt: Boolean(flags.gbdt),
  };
}

function printReport(r: SegmentReport, saved: string | null): void {
  const f = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
  print(
    `${r.source}: ${r.rows.toLocaleString('en-US')} clients, format ${r.format}, features ${r.features.join(', ')}`,
  );
  print(`k = ${r.k} (${r.k_reason})`);
  print(
    `silhouette ${f(r.silhouette)}${r.silhouette_exact ? '' : ' (sampled)'}, Davies–Bouldin ${f(r.davies_bouldin)}, Calinski–Harabasz ${f(r.calinski_harabasz, 1)}, inertia ${f(r.inertia, 1)}`,
  );
  if (r.k_selection.length > 1) {
    print('  k   inertia        silhouette  DB      CH');
    for (const s of r.k_selection)
      print(
        `  ${String(s.k).padEnd(3)} ${f(s.inertia, 1).padEnd(14)} ${f(s.silhouette).padEnd(11)} ${f(s.daviesBouldin).padEnd(7)} ${f(s.calinskiHarabasz, 1)}`,
      );
  }
  print('segments:');
  for (const p of r.priorities) {
    const prof = r.profiles[p.segment];
    print(
      `  ${p.segment}: ${prof.name} — ${p.size} clients (${(prof.share * 100).toFixed(1)} %)` +
        (p.priority !== null
          ? `, risk ${f(p.churnRisk, 2)} × value ${f(p.value, 2)} → priority #${p.rank}`
          : ''),
    );
  }
  if (r.rfm) print(`RFM: ${r.rfm.summary.map((s) => `${s.segment} ${s.clients}`).join(', ')}`);
  if (r.reference)
    print(`adjusted Rand index vs ${r.reference.column}: ${f(r.reference.adjusted_rand_index)}`);
  if (r.churn)
    print(
      `churn model: ROC-AUC ${f(r.churn.auc)} on ${r.churn.holdout_clients} held-out clients, base rate ${f(r.churn.base_rate)}`,
    );
  print(
    `rules (holdout accuracy ${f(r.classifier_accuracy, 4)}${r.gbdt_accuracy !== null ? `; GBDT ${f(r.gbdt_accuracy, 4)}` : ''}):`,
  );
  const shown = 20;
  for (const rule of r.rules.slice(0, shown)) print(`  ${rule}`);
  if (r.rules.length > shown) print(`  … ${r.rules.length - shown} more rules (all of them with --json)`);
  if (saved) print(saved);
}

export function registerSegment(program: Command): void {
  program
    .command('segment')
    .description('cluster clients into segments, profile and prioritise them, and save the segment model')
    .option('--input <file>', 'CSV (, or ;), xlsx, or "dataset[:NAME]" for the ingested Santander dataset')
    .option('--format <f>', `input format: ${SEGMENT_FORMATS.join('|')}`, 'auto')
    .option('--features <a,b,c>', 'feature columns (default: the format’s)')
    .option('--k <k>', 'number of segments, or auto', 'auto')
    .option('--k-range <lo-hi>', 'k range tried by --k auto', '2-8')
    .option('--seed <s>', 'random seed', '0')
    .option('--sheet <name>', 'xlsx sheet (default: the first)')
    .option('--depth <d>', 'maximum depth of the rule tree', '8')
    .option('--gbdt', 'also score gradient-boosted trees as the new-client classifier')
    .option('--no-save', 'do not record the run nor register the model')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the full result as JSON on stdout')
    .action(async (flags: SegmentFlags) => {
      if (!flags.input)
        throw new AppError('ARGUMENT_INVALID', '--input is required (FILE.csv, FILE.xlsx or dataset)');
      if (!SEGMENT_FORMATS.includes(flags.format as FormatFlag))
        throw new AppError(
          'ARGUMENT_INVALID',
          `--format ${JSON.stringify(flags.format)}: expected ${SEGMENT_FORMATS.join('|')}`,
        );
      const options = parseOptions(flags);
      const config = configWith(flags);
      const progress = createProgress('segment', flags.json ? { enabled: false } : {});
      const input = await loadSegmentInput(flags.input, flags.format as FormatFlag, {
        dataDir: config.dataDir,
        sheet: flags.sheet,
      });
      const params = { input: flags.input, format: input.format, ...options };
      const run = () =>
        runSegmentation(input, options, {
          onStep: (step, done, total) => progress.update(done, total, step),
        });
      let saved: string | null = null;
      let report: SegmentReport;
      if (flags.save) {
        report = await withDatabase(config, async (db) => {
          const runs = new Runs(db);
          const started = await runs.start({ kind: 'segment', name: SEGMENT_MODEL_NAME, params });
          let result: ReturnType<typeof run>;
          try {
            result = run();
          } catch (e) {
            await runs.fail(started.id, e);
            throw e;
          }
          const artifacts = openArtifactStore(config);
          try {
            const { version } = await saveSegmentation(
              db,
              artifacts,
              result.model,
              result.report,
              params,
              started,
            );
            saved = `saved model ${SEGMENT_MODEL_NAME} v${version.version} (promoted), run ${started.id}`;
          } finally {
            await artifacts.close();
          }
          return result.report;
        });
      } else report = run().report;
      progress.done();
      if (flags.json) printJson({ ...report, saved });
      else printReport(report, saved);
    });
}
