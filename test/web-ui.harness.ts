/**
 * Support for the browser tests of the web UI: the built app (`web/dist`, built here with Vite's
 * JS API when missing or older than its sources), a real server on embedded defaults (PGlite and
 * filesystem artifacts in a temporary directory, a small generated demo dataset, trained and
 * promoted models — the same steps as `nextoffer start`), and headless Debian Chromium driven by
 * playwright-core. Chromium is never downloaded: without `/usr/bin/chromium` the tests fail.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../src/api/server.js';
import { runIngest } from '../src/cli/commands/ingest.js';
import { trainDemoModels } from '../src/cli/commands/start.js';
import { loadConfig, type Config } from '../src/config.js';
import { writeSantanderCsv } from '../src/data/generate/write.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const WEB_DIST = path.join(ROOT, 'web', 'dist');
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'admin password for the ui tests';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const web = path.join(ROOT, 'web');
  const index = path.join(WEB_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(web, 'src')),
    statSync(path.join(web, 'index.html')).mtimeMs,
    statSync(path.join(web, 'vite.config.ts')).mtimeMs,
  );
  return !existsSync(index) || statSync(index).mtimeMs < sources;
}

/**
 * Builds `web/dist` when it is missing or older than `web/src`, `web/index.html` or the Vite config.
 * Test files running in parallel take turns through a lock directory (a lock older than five
 * minutes is taken over), and the one holding it checks again before building.
 */
export async function ensureWebBuild(): Promise<void> {
  if (!isStale()) return;
  const lock = path.join(ROOT, 'web', '.build-lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (!isStale()) return;
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
    if (isStale()) throw new Error(`vite build did not produce an up-to-date ${WEB_DIST}/index.html`);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export interface UiServer {
  server: RunningServer;
  config: Config;
  url: string;
  close(): Promise<void>;
}

/** A real server on embedded defaults with a small demo dataset and trained, promoted models. */
export async function startUiServer(): Promise<UiServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-ui-'));
  const config = loadConfig({
    NEXTOFFER_DATA_DIR: dataDir,
    NEXTOFFER_HOST: '127.0.0.1',
    NEXTOFFER_PORT: '0',
    NEXTOFFER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    NEXTOFFER_DEMO_CUSTOMERS: '400',
    NEXTOFFER_DEMO_MONTHS: '8',
    NEXTOFFER_THREADS: '1',
    NEXTOFFER_MODEL_RELOAD_SECONDS: '0',
    NEXTOFFER_WEB_DIR: WEB_DIST,
    NEXTOFFER_LOG_LEVEL: 'silent',
  });
  try {
    const demo = path.join(dataDir, 'demo');
    await mkdir(demo, { recursive: true });
    const file = path.join(demo, 'train_ver2-demo.csv');
    await writeSantanderCsv(file, { customers: config.demoCustomers, months: config.demoMonths, seed: 7 });
    await runIngest(config, file, {}, false);
    await trainDemoModels(config, () => undefined, false);
    const server = await startServer(config, { handleSignals: false, log: false });
    return {
      server,
      config,
      url: server.url,
      close: async () => {
        await server.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** Headless Debian Chromium; a clear failure (never a skip, never a download) when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the web UI tests need Debian's chromium package (apt-get install chromium)`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the login page and waits for the navigation. */
export async function logIn(page: Page, url: string, name: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name="username"]', name);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#main-nav', { state: 'attached' });
}
