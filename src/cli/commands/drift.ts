import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { driftOfRecords } from '../../learn/drift.js';
import { CONFIDENCE_MODEL, driftReferenceOf } from '../../learn/versions.js';
import { loadClients } from '../../offers/clients.js';
import { RECO_MODEL_NAME } from '../../reco/artifact.js';
import { ATTRIBUTES } from '../../reco/history.js';
import { encodeAttributes, type RawValue } from '../../reco/online.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { ModelRegistry } from '../../store/registry.js';
import { configWith, intFlag, print, printJson, withDatabase, type CommonFlags } from '../context.js';

interface Flags extends CommonFlags {
  input?: string;
  model: string;
  version?: string;
  threshold?: string;
}

const RAW_FIELDS = new Set<string>([...ATTRIBUTES, 'pais_residencia', 'fecha_alta']);

/** Recommender inputs are encoded as the model sees them; other fields are ignored. */
function recoRecord(features: Record<string, unknown>, asOf: string): Record<string, unknown> {
  const raw: Record<string, RawValue> = {};
  for (const [k, v] of Object.entries(features))
    if (RAW_FIELDS.has(k) && v !== 'NULL') raw[k] = v as RawValue;
  const encoded = encodeAttributes(raw, asOf);
  const out: Record<string, unknown> = {};
  ATTRIBUTES.forEach((a, i) => {
    if (
      a in raw ||
      (a === 'months_since_alta' && 'fecha_alta' in raw) ||
      (a === 'foreigner' && 'pais_residencia' in raw)
    )
      out[a] = encoded[i];
  });
  if ('score' in features) out.score = Number(features.score);
  return out;
}

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description(
      "PSI of an input file's features (and `score` column) against a model version's training data",
    )
    .requiredOption('--input <file>', 'requests: .csv, .xlsx or .json (array of feature objects)')
    .option('--model <name>', `${RECO_MODEL_NAME} | ${CONFIDENCE_MODEL}`, RECO_MODEL_NAME)
    .option('--version <v>', 'model version (default: the promoted one)')
    .option('--threshold <psi>', 'alert threshold (default NEXTOFFER_DRIFT_ALERT_PSI)')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(async (flags: Flags) => {
      const config = configWith(flags);
      const threshold = flags.threshold === undefined ? config.driftAlertPsi : Number(flags.threshold);
      if (!(threshold >= 0))
        throw new AppError('ARGUMENT_INVALID', `--threshold ${flags.threshold}: must be ≥ 0`);
      const store = openArtifactStore(config);
      const version = await withDatabase(config, async (db) => {
        const registry = new ModelRegistry(db, store);
        const n = intFlag('version', flags.version, 1);
        const v = n === undefined ? await registry.promoted(flags.model) : await registry.get(flags.model, n);
        if (v === null) throw new AppError('MODEL_NOT_FOUND', `model ${flags.model} has no promoted version`);
        return v;
      }).finally(() => store.close());
      const reference = driftReferenceOf(version);
      if (reference === null)
        throw new AppError(
          'ARGUMENT_INVALID',
          `${version.name} v${version.version} has no drift reference (trained before drift tracking; retrain it)`,
        );
      const clients = await loadClients(flags.input!);
      const lastMonth = typeof version.params.lastMonth === 'string' ? version.params.lastMonth : '';
      const records = clients.map((c) =>
        flags.model === RECO_MODEL_NAME ? recoRecord(c.features, lastMonth) : c.features,
      );
      const features = driftOfRecords(reference, records);
      const maxPsi = features.length === 0 ? null : features[0].psi;
      const result = {
        model: version.name,
        version: version.version,
        rows: records.length,
        threshold,
        alert: maxPsi !== null && maxPsi >= threshold,
        maxPsi,
        features,
      };
      if (flags.json) return printJson(result);
      print(`${result.model} v${result.version}: ${result.rows} rows, threshold ${threshold}`);
      for (const f of features)
        print(`  ${f.feature.padEnd(24)} PSI ${f.psi.toFixed(4)}${f.psi >= threshold ? '  ALERT' : ''}`);
      print(result.alert ? `drift alert: max PSI ${maxPsi?.toFixed(4)}` : 'no drift alert');
    });
}
