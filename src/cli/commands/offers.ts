import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { loadCatalog, type Catalog } from '../../offers/catalog.js';
import { consentFromFeatures, loadClients } from '../../offers/clients.js';
import { createOfferEngine, type OfferAnswer, type OfferRequestItem } from '../../offers/engine.js';
import { createRewriter } from '../../offers/rewriter.js';
import { loadConfidenceModel, saveConfidenceModel, trainFromLog } from '../../offers/feedback.js';
import type { CalibrationReport } from '../../offers/confidence.js';
import { openArtifactStore } from '../../store/artifacts.js';
import { OfferLog } from '../../store/offers.js';
import { ModelRegistry } from '../../store/registry.js';
import { CONFIDENCE_MODEL, loadConfidenceVersion } from '../../learn/versions.js';
import { createProgress } from '../progress.js';
import { configWith, intFlag, print, printJson, withDatabase, type CommonFlags } from '../context.js';
import { catalogPath } from './catalog.js';

interface OffersFlags extends CommonFlags {
  clients?: string;
  products?: string;
  channels?: string;
  locale: string;
  seed: string;
  assumeConsent?: boolean;
  save?: boolean;
  model: boolean;
  rewrite?: boolean;
}

function codes(flag: string | undefined, all: string[], what: string): string[] {
  if (flag === undefined) return all;
  const list = flag
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const c of list)
    if (!all.includes(c))
      throw new AppError('ARGUMENT_INVALID', `--${what} ${c}: unknown (known: ${all.join(', ')})`);
  return list;
}

/** The promoted `offers-confidence` version when there is one, else the `offers train` file. */
async function optionalModel(config: Config, use: boolean) {
  if (!use) return undefined;
  const store = openArtifactStore(config);
  try {
    const promoted = await withDatabase(config, async (db) => {
      const registry = new ModelRegistry(db, store);
      const v = await registry.promoted(CONFIDENCE_MODEL);
      return v === null ? null : loadConfidenceVersion(registry, store, String(v.version));
    });
    return promoted ?? (await loadConfidenceModel(store));
  } finally {
    await store.close();
  }
}

function printCalibration(r: CalibrationReport): void {
  print(`rows ${r.rows}, evaluated on ${r.evaluatedOn} held-out rows, base rate ${r.baseRate.toFixed(3)}`);
  print(
    `Brier ${r.brier.toFixed(4)} (prior alone ${r.priorBrier.toFixed(4)}), log loss ${r.logLoss.toFixed(4)}, ROC-AUC ${r.rocAuc.toFixed(3)}`,
  );
  print('reliability: bin        n   mean predicted   observed');
  for (const b of r.reliability)
    print(
      `             ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.count).padStart(5)}   ${b.meanPredicted.toFixed(3).padStart(14)}   ${b.observedRate.toFixed(3).padStart(8)}`,
    );
}

function printAnswer(a: OfferAnswer & { offer_id?: string }): void {
  const head = [`client ${a.client_id}`, a.product, a.channel, `confidence ${a.confidence.toFixed(3)}`];
  if (a.sms_segments !== null) head.push(`${a.sms_segments} SMS segment(s)`);
  if (a.fallback) head.push('fallback');
  if (a.offer_id) head.push(a.offer_id);
  print(head.join(' · '));
  if (a.text === '') print(`  (no text: ${a.findings.map((f) => f.message).join('; ')})`);
  if (a.subject) print(`  subject: ${a.subject}`);
  if (a.title) print(`  title: ${a.title}`);
  if (a.text) print(a.text.replace(/^/gm, '  '));
}

/**
 * `--data-dir` and `--json` exist on `offers` and on its subcommands; written after a subcommand,
 * commander gives them to `offers`. Take them from whichever command received them.
 */
function sharedFlags(own: CommonFlags, cmd: Command): CommonFlags {
  const parent: CommonFlags = cmd.parent?.opts() ?? {};
  return { dataDir: own.dataDir ?? parent.dataDir, json: own.json ?? parent.json };
}

export function registerOffers(program: Command): void {
  const offers = program
    .command('offers')
    .description('personal offer texts per client × product × channel (compliance-checked)')
    .option('--clients <file>', 'clients: .xlsx, .csv or .json (array of feature objects)')
    .option('--products <codes>', 'comma-separated product codes (default: all in the catalog)')
    .option('--channels <codes>', 'comma-separated channel codes (default: all)')
    .option('--locale <ru|en>', 'language of the texts', 'ru')
    .option('--seed <n>', 'seed: the same input and seed give the same texts', '1')
    .option(
      '--assume-consent',
      'treat every client as consenting to SMS, calls and e-mail (else consent_<channel> features)',
    )
    .option('--save', 'store the offers in the database (for feedback) and print their ids')
    .option('--no-model', 'ignore a trained confidence model (use the prior)')
    .option(
      '--rewrite',
      'paraphrase through the LLM at LLM_BASE_URL (each paraphrase re-checked, dropped on any finding)',
    )
    .option('--data-dir <dir>', 'data directory')
    .option('--json', 'print JSON')
    .action(async (flags: OffersFlags) => {
      if (!flags.clients)
        throw new AppError(
          'ARGUMENT_INVALID',
          '--clients FILE is required (or use a subcommand: train, mark)',
        );
      if (flags.locale !== 'ru' && flags.locale !== 'en')
        throw new AppError('ARGUMENT_INVALID', `--locale ${flags.locale}: must be ru or en`);
      const locale = flags.locale;
      const config = configWith(flags);
      const catalog: Catalog = loadCatalog(catalogPath());
      const products = codes(
        flags.products,
        catalog.products.map((p) => p.code),
        'products',
      );
      const channels = codes(
        flags.channels,
        catalog.channels.map((c) => c.code),
        'channels',
      );
      const clients = await loadClients(flags.clients);
      const engine = createOfferEngine({
        catalog,
        seed: intFlag('seed', flags.seed) ?? 1,
        confidenceModel: await optionalModel(config, flags.model),
      });
      const items: OfferRequestItem[] = clients.flatMap((c) => {
        const consent = flags.assumeConsent ? true : consentFromFeatures(c.features, channels);
        return products.flatMap((product) =>
          channels.map((channel) => ({ ...c, product, channel, locale, consent })),
        );
      });
      const progress = createProgress('offers', flags.json ? { enabled: false } : {});
      let answers: (OfferAnswer & { offer_id?: string })[] = [];
      for (let start = 0; start < items.length; start += 2000) {
        answers = answers.concat(engine.generate(items.slice(start, start + 2000)));
        progress.update(answers.length, items.length);
      }
      progress.done(`${answers.length} offers`);
      if (flags.rewrite) {
        if (config.llmBaseUrl === '')
          throw new AppError('ARGUMENT_INVALID', '--rewrite needs LLM_BASE_URL to be set');
        answers = await createRewriter({ baseUrl: config.llmBaseUrl, catalog }).rewrite(answers);
      }
      if (flags.save) {
        const kept = answers.flatMap((a, i) => (a.text === '' ? [] : [{ a, features: items[i].features }]));
        const ids = await withDatabase(config, (db) =>
          new OfferLog(db).save(kept.map(({ a, features }) => ({ ...a, features }))),
        );
        kept.forEach(({ a }, k) => (a.offer_id = ids[k]));
      }
      if (flags.json) printJson(answers);
      else answers.forEach(printAnswer);
    });

  offers
    .command('train')
    .alias('retrain')
    .description('fit the confidence model on the outcomes stored in the database and print its calibration')
    .option('--split-seed <n>', 'seed of the hold-out split', '1')
    .option('--data-dir <dir>', 'data directory')
    .option('--json', 'print JSON')
    .action(async (own: CommonFlags & { splitSeed: string }, cmd: Command) => {
      const flags = { ...own, ...sharedFlags(own, cmd) };
      const config = configWith(flags);
      const catalog = loadCatalog(catalogPath());
      const model = await withDatabase(config, (db) =>
        trainFromLog(new OfferLog(db), catalog, { seed: intFlag('split-seed', flags.splitSeed) ?? 1 }),
      );
      const store = openArtifactStore(config);
      try {
        await saveConfidenceModel(store, model);
      } finally {
        await store.close();
      }
      if (flags.json) printJson(model.report);
      else printCalibration(model.report);
    });

  offers
    .command('mark <offerId> <outcome>')
    .description('record an outcome (success | failure) for a stored offer')
    .option('--comment <text>', 'comment')
    .option('--user <name>', 'who marked it')
    .option('--data-dir <dir>', 'data directory')
    .option('--json', 'print JSON')
    .action(
      async (
        offerId: string,
        outcome: string,
        own: CommonFlags & { comment?: string; user?: string },
        cmd: Command,
      ) => {
        const flags = { ...own, ...sharedFlags(own, cmd) };
        if (outcome !== 'success' && outcome !== 'failure')
          throw new AppError(
            'ARGUMENT_INVALID',
            `outcome ${JSON.stringify(outcome)}: must be success or failure`,
          );
        const rec = await withDatabase(configWith(flags), (db) =>
          new OfferLog(db).mark(offerId, outcome, flags.comment, flags.user),
        );
        if (flags.json) printJson(rec);
        else print(`${rec.offerId}: ${rec.outcome}`);
      },
    );
}
