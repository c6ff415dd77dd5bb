import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { writeSantanderCsv } from '../../data/generate/write.js';
import { datasetDir, readManifest } from '../../data/ingest/dataset.js';
import { formatReport } from '../../data/ingest/report.js';
import { configWith, print, printJson, type CommonFlags } from '../context.js';
import { createProgress } from '../progress.js';
import { runIngest } from './ingest.js';
import { startServer } from '../../api/server.js';
import { currentManifest } from '../../data/ingest/dataset.js';
import { RECO_MODEL_NAME } from '../../reco/artifact.js';
import { DEFAULT_FIT_OPTIONS } from '../../reco/fit.js';
import { loadSegmentInput } from '../../segments/load.js';
import { runSegmentation } from '../../segments/run.js';
import { saveSegmentation, SEGMENT_MODEL_NAME } from '../../segments/save.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { ModelRegistry } from '../../store/registry.js';
import type { Config } from '../../config.js';
import { withDatabase } from '../context.js';
import { recoProgress } from '../reco-progress.js';
import { trainAndRegister } from './train.js';

interface StartFlags extends CommonFlags {
  serve: boolean;
}

/**
 * The main job on embedded defaults: generate the demo data set (once per size and seed), ingest
 * it, print the quality report, train every model on it (once per dataset version), then serve the
 * API on `NEXTOFFER_HOST:NEXTOFFER_PORT`, printing the URL and, on first start, the admin password.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'demo on embedded defaults: generate synthetic data, ingest it, train the models, serve the API',
    )
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the quality report and trained models as JSON on stdout')
    .option('--no-serve', 'stop after training instead of serving the API')
    .action(async (flags: StartFlags) => {
      const config = configWith(flags);
      const { demoCustomers: customers, demoMonths: months, demoSeed: seed } = config;
      const demoDir = path.join(config.dataDir, 'demo');
      await mkdir(demoDir, { recursive: true });
      const file = path.join(demoDir, `train_ver2-demo-c${customers}-m${months}-s${seed}.csv`);
      const log = (s: string) => (flags.json ? process.stderr.write(`${s}\n`) : print(s));
      log(`nextoffer: data directory ${config.dataDir}`);
      if (existsSync(file)) {
        log(`demo data: ${file} (already generated)`);
      } else {
        const progress = createProgress('generate demo data', {
          enabled: !flags.json && process.stderr.isTTY,
        });
        const summary = await writeSantanderCsv(
          file,
          { customers, months, seed },
          { onProgress: (done, total) => progress.update(done, total) },
        );
        progress.done();
        log(
          `demo data: ${file}: ${summary.rows.toLocaleString('en-US')} rows, ${customers} clients, ${months} months`,
        );
      }
      // The demo file owns the demo months: a different size or seed replaces them.
      const report = await runIngest(config, file, {}, !flags.json);
      if (!flags.json) {
        if (report.status === 'skipped' && report.months.length) {
          const manifestIngest = await lastQualityText(config.dataDir, report.dataset, report.version);
          print(manifestIngest ?? formatReport(report));
        } else {
          print(formatReport(report));
        }
        print(
          `\nDataset ${report.dataset} version ${report.version} is ready in ${datasetDir(config.dataDir, report.dataset)}`,
        );
      }
      const models = await trainDemoModels(config, log, !flags.json);
      if (flags.json) printJson({ report, models });
      if (!flags.serve) return;
      const server = await startServer(config);
      const admin = server.firstAdmin;
      log(`\nnextoffer is serving on ${server.url} (API docs: ${server.url}/docs)`);
      if (admin?.generatedPassword) {
        log(`  user: admin   password: ${admin.generatedPassword}   (generated now and shown once)`);
      } else if (admin) {
        log('  user: admin   password: the one in NEXTOFFER_ADMIN_PASSWORD');
      } else {
        log(
          '  user: admin   password: as printed at the first start (`nextoffer users passwd admin` resets it)',
        );
      }
      log('Press Ctrl-C to stop.');
      await new Promise<void>(() => undefined);
    });
}

export interface DemoModel {
  name: string;
  version: number;
  trained: boolean;
  metrics: Record<string, number>;
}

/**
 * Trains each model whose promoted version was not trained on the live dataset version: the
 * recommender (`nextoffer train`) and the client segments (`nextoffer segment --input dataset`).
 */
export async function trainDemoModels(
  config: Config,
  log: (s: string) => void,
  showProgress: boolean,
): Promise<DemoModel[]> {
  const manifest = await currentManifest(config.dataDir, 'santander');
  const dataset = manifest?.version ?? null;
  const live = await withDatabase(config, async (db) => {
    const store = openArtifactStore(config);
    try {
      const registry = new ModelRegistry(db, store);
      return {
        reco: await registry.promoted(RECO_MODEL_NAME),
        segments: await registry.promoted(SEGMENT_MODEL_NAME),
      };
    } finally {
      await store.close();
    }
  });
  const out: DemoModel[] = [];
  const summary = (m: DemoModel) =>
    `model ${m.name} v${m.version}${m.trained ? ' trained and promoted' : ' already trained on this dataset'}: ` +
    Object.entries(m.metrics)
      .filter(([k]) => ['map7', 'ndcg3', 'roc_auc', 'silhouette', 'classifier_accuracy'].includes(k))
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(', ');

  if (live.reco && live.reco.params.dataset === dataset) {
    out.push({
      name: RECO_MODEL_NAME,
      version: live.reco.version,
      trained: false,
      metrics: live.reco.metrics,
    });
  } else {
    const progress = recoProgress('train recommender', !showProgress);
    const trained = await trainAndRegister(config, DEFAULT_FIT_OPTIONS, {
      promote: true,
      onProgress: progress.onProgress,
    });
    progress.done();
    out.push({
      name: RECO_MODEL_NAME,
      version: trained.version.version,
      trained: true,
      metrics: trained.version.metrics,
    });
  }
  log(summary(out[out.length - 1]));

  if (live.segments && live.segments.params.dataset === dataset) {
    out.push({
      name: SEGMENT_MODEL_NAME,
      version: live.segments.version,
      trained: false,
      metrics: live.segments.metrics,
    });
  } else {
    const progress = createProgress('segment clients', { enabled: showProgress && process.stderr.isTTY });
    const input = await loadSegmentInput('dataset', 'auto', { dataDir: config.dataDir });
    const options = { k: 'auto' as const, seed: 0 };
    const { model, report } = runSegmentation(input, options, {
      onStep: (step, done, total) => progress.update(done, total, step),
    });
    progress.done();
    const { version } = await withDatabase(config, async (db) => {
      const store = openArtifactStore(config);
      try {
        return await saveSegmentation(db, store, model, report, { input: 'dataset', dataset, ...options });
      } finally {
        await store.close();
      }
    });
    out.push({ name: SEGMENT_MODEL_NAME, version: version.version, trained: true, metrics: version.metrics });
  }
  log(summary(out[out.length - 1]));
  return out;
}

/** The stored report of the ingest that produced a version, when re-running on the same data. */
async function lastQualityText(dataDir: string, dataset: string, version: string): Promise<string | null> {
  const dir = datasetDir(dataDir, dataset);
  try {
    const manifest = await readManifest(dir, version);
    const last = manifest.sources.at(-1);
    return last ? await readFile(path.join(dir, 'ingests', last.ingestId, 'quality.txt'), 'utf8') : null;
  } catch {
    return null;
  }
}
