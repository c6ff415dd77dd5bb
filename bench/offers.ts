/**
 * Offer texts benchmark on Dataset_Yakutia.xlsx (1,000 clients), in one process, one thread:
 *   1. batch latency: 100 clients × 1 product × 1 channel, repeated; p50/p99 of the engine
 *      (sampling, compliance check, Thompson choice) against a naive template fill side by side;
 *   2. the full run: 1,000 clients × 22 products × 8 channels (consent given), timed, then every
 *      returned text re-checked by the compliance checker (all rules, channel limits), with the
 *      fallback rate, distinct texts per product and gender-form agreement counted.
 *
 *   npm run bench:offers -- [--file F] [--runs N] [--product ПК] [--channel SMS] [--seed S]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readTable, tableRecords } from '../src/data/tables.js';
import { channelOf, loadCatalog, productOf, type Catalog } from '../src/offers/catalog.js';
import { checkOffer } from '../src/offers/compliance/check.js';
import { createOfferEngine, type OfferAnswer, type OfferRequestItem } from '../src/offers/engine.js';
import { clientProfile } from '../src/offers/features.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: path.resolve('../shared/data/gazprombank/Dataset_Yakutia.xlsx') },
    runs: { type: 'string', default: '200' },
    product: { type: 'string', default: 'ПК' },
    channel: { type: 'string', default: 'SMS' },
    seed: { type: 'string', default: '1' },
  },
});

/** The baseline: a naive template fill — provider, product name, risk warning; no personalisation or checks. */
function naive(catalog: Catalog, items: readonly OfferRequestItem[]): string[] {
  return items.map((it) => {
    const p = productOf(catalog, it.product);
    const legal = p.credit ? ' Оценивайте свои финансовые возможности и риски.' : '';
    return `${catalog.provider.name}: ${p.adName}. Подробнее в приложении.${legal}`;
  });
}

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const catalog = loadCatalog();
  const seed = Number(values.seed);
  const clients = tableRecords(await readTable(values.file));
  const engine = createOfferEngine({ catalog, seed });
  const runs = Number(values.runs);
  console.log(
    `Offer texts benchmark — ${clients.length} clients from ${values.file}; one thread (Node ${process.version})`,
  );

  // 1. Batch latency, engine and baseline interleaved.
  const batch = (r: number): OfferRequestItem[] =>
    Array.from({ length: 100 }, (_, k) => {
      const i = (r * 100 + k) % clients.length;
      return {
        client_id: i + 1,
        features: clients[i],
        product: values.product,
        channel: values.channel,
        consent: true,
      };
    });
  for (let r = 0; r < 20; r++) engine.generate(batch(r)); // warm-up
  const tEngine: number[] = [];
  const tNaive: number[] = [];
  for (let r = 0; r < runs; r++) {
    const items = batch(r);
    let t = performance.now();
    engine.generate(items);
    tEngine.push(performance.now() - t);
    t = performance.now();
    naive(catalog, items);
    tNaive.push(performance.now() - t);
  }
  console.log(`\n1. batch of 100 clients × ${values.product} × ${values.channel}, ${runs} runs`);
  console.log(`   engine:   p50 ${ms(pct(tEngine, 0.5))}, p99 ${ms(pct(tEngine, 0.99))}`);
  console.log(`   baseline: p50 ${ms(pct(tNaive, 0.5))}, p99 ${ms(pct(tNaive, 0.99))} (naive template fill)`);
  console.log(`   ratio engine/baseline (p50): ${(pct(tEngine, 0.5) / pct(tNaive, 0.5)).toFixed(1)}×`);

  // 2. Full run.
  const items: OfferRequestItem[] = clients.flatMap((features, i) =>
    catalog.products.flatMap((p) =>
      catalog.channels.map((c) => ({
        client_id: i + 1,
        features,
        product: p.code,
        channel: c.code,
        consent: true,
      })),
    ),
  );
  let t = performance.now();
  const answers: OfferAnswer[] = engine.generate(items);
  const full = (performance.now() - t) / 1000;
  t = performance.now();
  naive(catalog, items);
  const fullNaive = (performance.now() - t) / 1000;
  let bad = 0;
  let empty = 0;
  for (const a of answers) {
    if (a.text === '') empty++;
    const findings = checkOffer({
      ...a,
      product: productOf(catalog, a.product),
      channel: channelOf(catalog, a.channel),
      provider: catalog.provider,
      consent: true,
    });
    if (findings.length > 0 || a.findings.length > 0) bad++;
  }
  const fallbacks = answers.filter((a) => a.fallback).length;
  const distinct = catalog.products.map(
    (p) => new Set(answers.filter((a) => a.product === p.code).map((a) => a.text)).size,
  );
  const genders = clients.map((c) => clientProfile(c).gender);
  const wrongForm = answers.filter((a) => {
    const g = genders[a.client_id - 1];
    return (
      (g === 'female' && /Уважаемый клиент|владелец автомобиля|наш постоянный клиент/.test(a.text)) ||
      (g === 'male' && /Уважаемая клиентка|владелица автомобиля|наша постоянная клиентка/.test(a.text))
    );
  }).length;
  const femaleForms = answers.filter((a) =>
    /Уважаемая клиентка|владелица автомобиля|наша постоянная клиентка/.test(a.text),
  ).length;
  const maleForms = answers.filter((a) =>
    /Уважаемый клиент|владелец автомобиля|наш постоянный клиент/.test(a.text),
  ).length;
  console.log(
    `\n2. full run: ${clients.length} clients × ${catalog.products.length} products × ${catalog.channels.length} channels = ${answers.length} offers`,
  );
  console.log(
    `   engine ${full.toFixed(2)} s (${((full / answers.length) * 1e6).toFixed(0)} µs/offer); baseline ${fullNaive.toFixed(3)} s; ratio ${(full / fullNaive).toFixed(0)}×`,
  );
  console.log(
    `   texts with findings or over the channel limit: ${bad} (${((100 * bad) / answers.length).toFixed(2)} %); empty: ${empty}`,
  );
  console.log(`   fallback texts: ${fallbacks} (${((100 * fallbacks) / answers.length).toFixed(2)} %)`);
  console.log(`   distinct texts per product: min ${Math.min(...distinct)}, max ${Math.max(...distinct)}`);
  console.log(
    `   gendered forms: ${femaleForms} female, ${maleForms} male, ${wrongForm} disagreeing with the client's gender`,
  );
  console.log(`   peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
