import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import {
  DEFAULT_CATALOG_PATH,
  checkCatalog,
  loadCatalog,
  loadConfiguredCatalog,
  parseCatalog,
  productOf,
  type Catalog,
} from './catalog.js';
import { loadConfig } from '../config.js';
import { importProducts } from './catalog-import.js';

const PRODUCTS_XLSX = path.resolve(import.meta.dirname, '../../../shared/data/gazprombank/Products.xlsx');

const clone = (c: Catalog): Catalog => JSON.parse(JSON.stringify(c)) as Catalog;

describe('catalog', () => {
  const shipped = loadCatalog();

  it('ships a valid demo catalog with 22 products and 8 channels', () => {
    expect(shipped.demo).toBe(true);
    expect(shipped.version).toMatch(/demo/);
    expect(shipped.products).toHaveLength(22);
    expect(shipped.channels.map((c) => c.code)).toEqual([
      'TMO',
      'SMS',
      'PUSH',
      'EMAIL',
      'MOB_BANNER',
      'OFFICE_BANNER',
      'MOBILE_CHAT',
      'KND',
    ]);
    expect(productOf(shipped, 'MORTG').kind).toBe('mortgage');
    expect(productOf(shipped, 'CC').credit).toBe(true);
  });

  it('names the product and field of each error', () => {
    const bad = clone(shipped);
    bad.products[0].terms.psk = undefined;
    (bad.products[3] as unknown as Record<string, unknown>).kind = 'loan';
    bad.products[5].terms.rate = { min: 30, max: 10 };
    bad.channels[1].limits.maxSegments = undefined;
    const paths = checkCatalog(bad).map((f) => `${f.path}: ${f.message}`);
    expect(paths).toContain(
      'products[0] (ПК).terms.psk: a credit product that states a rate must state the ПСК range',
    );
    expect(paths.some((p) => p.startsWith('products[3] (CC).kind: must be one of'))).toBe(true);
    expect(paths).toContain('products[5] (AUTO_SCR).terms.rate: min must not exceed max');
    expect(paths).toContain('channels[1] (SMS).limits.maxSegments: required for SMS');
    expect(() => parseCatalog(bad, 'bank.json')).toThrow(AppError);
    expect(() => parseCatalog(bad, 'bank.json')).toThrow(/^bank\.json: products\[0\] \(ПК\)/);
  });

  it('rejects a condition without the term it needs, and duplicate codes', () => {
    const bad = clone(shipped);
    bad.products[11].conditions = ['fee', 'rate'];
    bad.products[12].code = bad.products[11].code;
    const found = checkCatalog(bad).map((f) => f.path);
    expect(found).toContain('products[11] (DC).conditions[1]');
    expect(found).toContain('products[12] (DC).code');
  });

  it("loads the bank's own file through NEXTOFFER_CATALOG", () => {
    const own = clone(shipped);
    own.version = 'bank-7';
    own.demo = false;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'catalog-')), 'bank.json');
    writeFileSync(file, JSON.stringify(own));
    expect(loadConfiguredCatalog(loadConfig({ NEXTOFFER_CATALOG: file })).version).toBe('bank-7');
    expect(loadConfiguredCatalog(loadConfig({})).version).toBe(shipped.version);
    expect(existsSync(DEFAULT_CATALOG_PATH)).toBe(true);
    writeFileSync(file, '{"format": "nextoffer-catalog"');
    expect(() => loadConfiguredCatalog(loadConfig({ NEXTOFFER_CATALOG: file }))).toThrow(/not valid JSON/);
  });

  it('explains a missing or malformed file', () => {
    expect(() => loadCatalog('/no/such/catalog.json')).toThrow(/cannot read/);
    expect(() => productOf(shipped, 'NOPE')).toThrow(/unknown product "NOPE"/);
  });

  it.runIf(existsSync(PRODUCTS_XLSX))('imports Products.xlsx into the same catalog that ships', async () => {
    const { catalog, warnings } = await importProducts(PRODUCTS_XLSX, shipped.version);
    expect(catalog).toEqual(shipped);
    expect(warnings).toEqual([
      expect.stringMatching(/^INS_PROPERTY: description «Страхование жизни» repeats INS_LIFE's/),
    ]);
  });
});
