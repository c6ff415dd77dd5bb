import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { currentManifest } from '../../data/ingest/dataset.js';
import { DATASET_BY_LAYOUT } from '../../data/ingest/ingest.js';
import { AppError, errorMessage } from '../../errors.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { openDatabase } from '../../store/db.js';
import { appliedMigrations } from '../../store/migrate.js';
import type { Config } from '../../config.js';
import { configWith, print, printJson, type CommonFlags } from '../context.js';

export interface CheckResult {
  name: 'database' | 'artifacts' | 'dataset';
  ok: boolean;
  detail: string;
}

/** Opens every configured component once: database (with migrations), artifact store (write/read/delete), datasets. */
export async function runChecks(config: Config): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    const db = await openDatabase(config);
    try {
      const applied = await appliedMigrations(db);
      results.push({
        name: 'database',
        ok: true,
        detail: `${db.kind} at ${db.location}, schema version ${applied.at(-1)?.id ?? 0}`,
      });
    } finally {
      await db.close();
    }
  } catch (e) {
    results.push({ name: 'database', ok: false, detail: errorMessage(e) });
  }
  try {
    const store = openArtifactStore(config);
    try {
      const key = `_check/${randomBytes(6).toString('hex')}`;
      await store.put(key, 'nextoffer check');
      const back = (await store.get(key)).toString('utf8');
      await store.delete(key);
      if (back !== 'nextoffer check') throw new Error('read back different bytes than written');
      results.push({
        name: 'artifacts',
        ok: true,
        detail: `${store.kind} at ${store.location}: write, read, delete ok`,
      });
    } finally {
      await store.close();
    }
  } catch (e) {
    results.push({ name: 'artifacts', ok: false, detail: errorMessage(e) });
  }
  const datasets: string[] = [];
  for (const name of Object.values(DATASET_BY_LAYOUT)) {
    const m = await currentManifest(config.dataDir, name).catch(() => null);
    if (m)
      datasets.push(
        `${name} ${m.version}: ${m.rows.toLocaleString('en-US')} rows, ${m.months.length} months`,
      );
  }
  results.push({
    name: 'dataset',
    ok: true,
    detail: datasets.length ? datasets.join('; ') : 'none ingested yet',
  });
  return results;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check the configuration: database and migrations, artifact store, datasets')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the results as JSON')
    .action(async (flags: CommonFlags) => {
      const results = await runChecks(configWith(flags));
      if (flags.json) printJson(results);
      else for (const r of results) print(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(9)} ${r.detail}`);
      const failed = results.filter((r) => !r.ok);
      if (failed.length)
        throw new AppError('CONFIG_INVALID', `${failed.map((r) => r.name).join(', ')} check failed`);
    });
}
