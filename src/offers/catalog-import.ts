/**
 * `nextoffer catalog import Products.xlsx`: turns the bank's product/channel list (two side-by-side
 * tables: «Продукт | Описание» and «Канал | Описание») into a catalog file. Terms come from the demo
 * table (`demo-terms.ts`) and the catalog is marked `demo: true`; a product the demo table does not
 * know gets its kind guessed from its description, no terms, and a warning.
 */
import ExcelJS from 'exceljs';
import { AppError, errorMessage } from '../errors.js';
import {
  CATALOG_FORMAT,
  parseCatalog,
  type Catalog,
  type Channel,
  type Product,
  type ProductKind,
} from './catalog.js';
import { DEMO_CHANNELS, DEMO_PROVIDER, DEMO_PRODUCTS } from './demo-terms.js';

export interface ImportResult {
  catalog: Catalog;
  warnings: string[];
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v)
    return v.richText
      .map((x) => x.text)
      .join('')
      .trim();
  if (typeof v === 'object' && 'text' in v) return String(v.text).trim();
  return typeof v === 'object' ? '' : String(v).trim();
}

/** Kind guessed from a Russian description, for products the demo table does not know. */
export function guessKind(description: string): ProductKind {
  const d = description.toLowerCase();
  if (/ипотек/.test(d)) return 'mortgage';
  if (/кредит|займ|рефинанс/.test(d)) return 'consumer_credit';
  if (/карт/.test(d)) return 'card';
  if (/депозит|вклад|накопительный сч/.test(d)) return 'deposit';
  if (/страхов/.test(d)) return 'insurance';
  if (/инвест|брокер|управлен|металл/.test(d)) return 'investment';
  return 'service';
}

/** Reads the two tables: product rows (code, description) and channel rows (code, description). */
export async function readProductsSheet(
  file: string,
): Promise<{ products: [string, string][]; channels: [string, string][] }> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (e) {
    throw new AppError('INPUT_CORRUPT', `${file}: not a readable xlsx workbook (${errorMessage(e)})`, {
      cause: e,
    });
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new AppError('INPUT_CORRUPT', `${file}: the workbook has no sheet`);
  let productCol = 0;
  let channelCol = 0;
  const header = sheet.getRow(1);
  for (let c = 1; c <= sheet.columnCount; c++) {
    const t = cellText(header.getCell(c).value).toLowerCase();
    if (t === 'продукт' || t === 'product') productCol = c;
    if (t === 'канал' || t === 'channel') channelCol = c;
  }
  if (productCol === 0 || channelCol === 0)
    throw new AppError(
      'HEADER_MISMATCH',
      `${file}: row 1 must have the headers «Продукт» and «Канал» (each followed by a description)`,
    );
  const products: [string, string][] = [];
  const channels: [string, string][] = [];
  sheet.eachRow((row, i) => {
    if (i === 1) return;
    const p = cellText(row.getCell(productCol).value);
    const pd = cellText(row.getCell(productCol + 1).value);
    // Footnotes («* подробнее…») have no description cell.
    if (p !== '' && pd !== '' && !p.startsWith('*')) products.push([p, pd]);
    const ch = cellText(row.getCell(channelCol).value);
    const cd = cellText(row.getCell(channelCol + 1).value);
    if (ch !== '' && cd !== '') channels.push([ch, cd]);
  });
  if (products.length === 0) throw new AppError('INPUT_CORRUPT', `${file}: no product rows under «Продукт»`);
  if (channels.length === 0) throw new AppError('INPUT_CORRUPT', `${file}: no channel rows under «Канал»`);
  return { products, channels };
}

/** Builds (and validates) a demo catalog from the rows of Products.xlsx. */
export function buildCatalog(
  rows: { products: [string, string][]; channels: [string, string][] },
  version: string,
): ImportResult {
  const warnings: string[] = [];
  const seenDescriptions = new Map<string, string>();
  const site = `https://${DEMO_PROVIDER.site}`;
  const products: Product[] = rows.products.map(([code, description]) => {
    const demo = DEMO_PRODUCTS[code];
    const earlier = seenDescriptions.get(description);
    if (earlier !== undefined)
      warnings.push(
        `${code}: description «${description}» repeats ${earlier}'s${demo?.name ? `; name taken from the demo table: «${demo.name}»` : ''}`,
      );
    seenDescriptions.set(description, code);
    if (!demo) {
      const kind = guessKind(description);
      warnings.push(`${code}: not in the demo table; kind guessed as ${kind}, no terms — fill them in`);
      const credit = kind === 'consumer_credit' || kind === 'mortgage';
      return {
        code,
        name: description,
        adName: description.toLowerCase(),
        nameEn: code,
        kind,
        credit,
        terms: {},
        conditions: [],
        url: site,
        popularity: 0.01,
      };
    }
    return {
      code,
      name: demo.name ?? description,
      adName: demo.adName,
      nameEn: demo.nameEn,
      kind: demo.kind,
      credit: demo.credit,
      terms: demo.terms,
      conditions: demo.conditions,
      url: `${site}${demo.path}`,
      popularity: demo.popularity,
      margin: demo.margin,
    };
  });
  const channels: Channel[] = rows.channels.map(([code, description]) => {
    const demo = DEMO_CHANNELS[code];
    if (!demo) {
      warnings.push(`${code}: unknown channel; treated as a chat message of at most 600 characters`);
      return {
        code,
        name: description,
        structure: 'chat',
        tone: 'friendly',
        consentRequired: false,
        limits: { bodyMax: 600 },
      };
    }
    return { code, name: description, ...demo };
  });
  const catalog = parseCatalog(
    { format: CATALOG_FORMAT, version, demo: true, provider: DEMO_PROVIDER, products, channels },
    'imported catalog',
  );
  return { catalog, warnings };
}

export async function importProducts(file: string, version: string): Promise<ImportResult> {
  return buildCatalog(await readProductsSheet(file), version);
}
