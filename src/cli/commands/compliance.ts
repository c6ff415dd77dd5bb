import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError, errorMessage } from '../../errors.js';
import { channelOf, loadCatalog, productOf } from '../../offers/catalog.js';
import { checkOffer, isCompliant, type Finding } from '../../offers/compliance/check.js';
import { print, printJson } from '../context.js';
import { catalogPath } from './catalog.js';

interface Item {
  text: string;
  product: string;
  channel: string;
  title?: string;
  subject?: string;
  locale?: 'ru' | 'en';
  consent?: boolean;
}

function parseItems(raw: unknown, file: string): Item[] {
  if (!Array.isArray(raw))
    throw new AppError('INPUT_CORRUPT', `${file}: must be a JSON array of {text, product, channel}`);
  return raw.map((x: unknown, i) => {
    const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    for (const k of ['text', 'product', 'channel'])
      if (typeof o[k] !== 'string')
        throw new AppError('INPUT_CORRUPT', `${file}: [${i}].${k} must be a string`);
    for (const k of ['title', 'subject'])
      if (o[k] !== undefined && typeof o[k] !== 'string')
        throw new AppError('INPUT_CORRUPT', `${file}: [${i}].${k} must be a string`);
    if (o.locale !== undefined && o.locale !== 'ru' && o.locale !== 'en')
      throw new AppError('INPUT_CORRUPT', `${file}: [${i}].locale must be ru or en`);
    if (o.consent !== undefined && typeof o.consent !== 'boolean')
      throw new AppError('INPUT_CORRUPT', `${file}: [${i}].consent must be true or false`);
    return o as unknown as Item;
  });
}

export function registerCompliance(program: Command): void {
  program
    .command('compliance')
    .description(
      'check hand-written texts ([{text, product, channel, title?, subject?, consent?}]) against the ad rules',
    )
    .requiredOption('--input <file>', 'JSON array of texts')
    .option('--json', 'print JSON')
    .action(async (flags: { input: string; json?: boolean }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(flags.input, 'utf8'));
      } catch (e) {
        throw new AppError('INPUT_CORRUPT', `${flags.input}: not readable JSON (${errorMessage(e)})`, {
          cause: e,
        });
      }
      const catalog = loadCatalog(catalogPath());
      const results = parseItems(raw, flags.input).map((item) => {
        const findings: Finding[] = checkOffer({
          ...item,
          product: productOf(catalog, item.product),
          channel: channelOf(catalog, item.channel),
          provider: catalog.provider,
        });
        return { ...item, compliant: isCompliant(findings), findings };
      });
      if (flags.json) printJson(results);
      else
        results.forEach((r, i) => {
          print(`[${i}] ${r.product} · ${r.channel}: ${r.compliant ? 'compliant' : 'NOT compliant'}`);
          for (const f of r.findings) print(`    ${f.severity} ${f.code} (${f.citation}): ${f.message}`);
        });
    });
}
