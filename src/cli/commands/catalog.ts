import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { catalogPathFrom, catalogWarnings, loadCatalog } from '../../offers/catalog.js';
import { importProducts } from '../../offers/catalog-import.js';
import { print, printJson } from '../context.js';

/** The catalog in effect: `NEXTOFFER_CATALOG` or the shipped demo catalog. */
export function catalogPath(): string {
  return catalogPathFrom(loadConfig());
}

export function registerCatalog(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('offer catalog: products, regulated terms, channels');
  catalog
    .command('import <file>')
    .description('build a catalog file from Products.xlsx (terms: demo values of a fictional bank)')
    .option('--out <file>', 'where to write the catalog', 'catalog/catalog.json')
    .option('--catalog-version <v>', 'version string recorded in the file', 'demo-1')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { out: string; catalogVersion: string; json?: boolean }) => {
      const { catalog: built, warnings } = await importProducts(file, flags.catalogVersion);
      await mkdir(path.dirname(path.resolve(flags.out)), { recursive: true });
      await writeFile(flags.out, `${JSON.stringify(built, null, 2)}\n`);
      const summary = {
        out: flags.out,
        version: built.version,
        products: built.products.length,
        channels: built.channels.length,
        warnings,
      };
      if (flags.json) printJson(summary);
      else {
        print(`wrote ${flags.out}: ${summary.products} products, ${summary.channels} channels (demo terms)`);
        for (const w of warnings) print(`warning: ${w}`);
      }
    });
  catalog
    .command('check [file]')
    .description('validate a catalog file (default: NEXTOFFER_CATALOG or the shipped one)')
    .option('--json', 'print the result as JSON')
    .action((file: string | undefined, flags: { json?: boolean }) => {
      const source = file ?? catalogPath();
      const c = loadCatalog(source);
      const summary = {
        file: source,
        version: c.version,
        demo: c.demo,
        products: c.products.length,
        channels: c.channels.length,
        warnings: catalogWarnings(c),
      };
      if (flags.json) printJson(summary);
      else {
        print(
          `${source}: valid, version ${c.version}, ${summary.products} products, ${summary.channels} channels${c.demo ? ' (demo values)' : ''}`,
        );
        for (const w of summary.warnings) print(`warning: ${w}`);
      }
    });
}
