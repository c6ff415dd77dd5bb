/**
 * End-to-end tests of the web UI in headless Chromium (Debian `chromium` via playwright-core)
 * against a real server on embedded defaults with a small demo dataset and trained models. Each
 * test saves a screenshot to `docs/screenshots/`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ensureWebBuild,
  launchChromium,
  logIn,
  screenshot,
  startUiServer,
  type UiServer,
} from './web-ui.harness.js';

/** The history table's rows, as a browser-side expression. */
// Waits poll from Node, not string predicates: the server's CSP forbids the eval those use.
const ROWS_SELECTOR = '[data-testid="history-table"] tbody tr';

const basic = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

describe('web UI in headless Chromium (real server, demo data, trained models)', () => {
  let ui: UiServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [, ui] = await Promise.all([ensureWebBuild(), startUiServer()]);
    browser = await launchChromium();
    // Some answers to look at: one offer per channel, each recorded in the history.
    const features = { age: 35, gender: 'F', super_clust: 'a', consent: true };
    for (const [i, channel] of ['SMS', 'PUSH', 'EMAIL'].entries()) {
      const res = await fetch(`${ui.url}/v1/offers`, {
        method: 'POST',
        headers: { authorization: basic('admin', ADMIN_PASSWORD), 'content-type': 'application/json' },
        body: JSON.stringify([{ client_id: 100 + i, features, product: 'CC', channel }]),
      });
      expect(res.status).toBe(200);
    }
    // And one recommendation, so that the Overview has answers by source and a model version.
    const reco = await fetch(`${ui.url}/v1/recommendations`, {
      method: 'POST',
      headers: { authorization: basic('admin', ADMIN_PASSWORD), 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 1, k: 3 }),
    });
    expect(reco.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await ui?.close();
  });

  async function page(width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'ru-RU' });
    contexts.push(context);
    return context.newPage();
  }

  it('logs in with the session cookie and shows the Overview', async () => {
    const p = await page();
    await p.goto(ui.url);
    await p.waitForSelector('text=Вход в nextoffer');
    await logIn(p, ui.url, 'admin', ADMIN_PASSWORD);
    await p.waitForSelector('[data-testid="kpi-requests"]');
    expect(await p.textContent('[data-testid="kpi-requests"] .value')).not.toBe('0');
    const cookies = await p.context().cookies();
    const session = cookies.find((c) => c.name === 'nextoffer_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await p.waitForSelector('[data-testid="chart-requests"] canvas');
    await screenshot(p, 'overview');
    // English on demand; the choice is kept for the next visit.
    await p.click('.header-tools button:has-text("EN")');
    await p.waitForSelector('#main-nav >> text=History');
    await p.reload();
    await p.waitForSelector('#main-nav >> text=Experiments & models');
    await p.click('.header-tools button:has-text("RU")');
    await p.waitForSelector('#main-nav >> text=История');
  });

  it('History: marks an answer as failure with a comment; the list and the Overview count it', async () => {
    const p = await page();
    await logIn(p, ui.url, 'admin', ADMIN_PASSWORD);
    await p.click('#main-nav >> text=История');
    await p.fill('input[list="history-channels"]', 'SMS');
    await p.click('form[aria-label="filters"] button[type="submit"]');
    await expect.poll(() => p.locator(ROWS_SELECTOR).count(), { timeout: 30_000 }).toBe(1);
    // Keyboard: the row takes the focus and Enter opens its details.
    await p.focus('[data-testid="history-table"] tbody tr');
    await p.keyboard.press('Enter');
    await p.waitForSelector('[role="dialog"]');
    await p.check('[role="dialog"] input[value="failure"]');
    await p.fill('[role="dialog"] textarea', 'клиент отказался');
    await p.click('[role="dialog"] button[type="submit"]');
    await p.waitForSelector('[data-testid="detail-marks"] >> text=клиент отказался');
    await p.keyboard.press('Escape');
    await p.waitForSelector('[data-testid="count-failure"] >> text=неудача: 1');
    expect(await p.textContent('[data-testid="history-table"] tbody tr')).toContain('неудача');

    // Bulk: every unmarked answer as success.
    await p.click('form[aria-label="filters"] button[type="button"]'); // reset the filters
    await p.selectOption('form[aria-label="filters"] select', 'unmarked');
    await p.click('form[aria-label="filters"] button[type="submit"]');
    await expect.poll(() => p.locator(ROWS_SELECTOR).count(), { timeout: 30_000 }).toBe(3);
    const unmarked = await p.locator('[data-testid="history-table"] tbody tr').count();
    await p.check('[data-testid="history-table"] thead input[type="checkbox"]');
    await p.click('text=Отметить успехом');
    await p.waitForSelector(`text=Отмечено: ${unmarked}`);
    await p.click('form[aria-label="filters"] button[type="button"]');
    await p.waitForSelector(`[data-testid="count-success"] >> text=успех: ${unmarked}`);
    await screenshot(p, 'history');

    await p.click('#main-nav >> text=Обзор');
    await p.waitForSelector('[data-testid="kpi-feedback-failure"] .value >> text=1');
    expect(await p.textContent('[data-testid="kpi-feedback-success"] .value')).toBe(String(unmarked));
    await screenshot(p, 'overview-feedback');
  });

  it('Offer playground: generates offers for products × channels and checks a hand-written text', async () => {
    const p = await page();
    await logIn(p, ui.url, 'admin', ADMIN_PASSWORD);
    await p.click('#main-nav >> text=Песочница офферов');
    await p.waitForSelector('input[name="product"][value="DEPOSIT"]');
    // Pick a client served before: its features come from the history.
    await p.fill('input[inputmode="numeric"]', '101');
    await p.click('text=Признаки из истории');
    await expect
      .poll(() => p.inputValue('textarea[name="features"]'), { timeout: 30_000 })
      .toContain('"age": 35');
    await p.check('input[name="product"][value="DEPOSIT"]');
    await p.check('input[name="channel"][value="PUSH"]');
    await p.click('form[aria-label="Сгенерировать офферы"] button[type="submit"]');
    await p.waitForSelector('[data-testid="offer-results"] tbody tr');
    const rows = await p.locator('[data-testid="offer-results"] tbody tr').count();
    expect(rows).toBe(4); // (ПК, DEPOSIT) × (SMS, PUSH)
    const text = await p.textContent('[data-testid="offer-results"] tbody tr .offer-text');
    expect(text?.length).toBeGreaterThan(10);

    await p.fill('textarea[name="check-text"]', 'Кредит наличными под 3%! Успейте оформить.');
    await p.click('form[aria-label="Проверить свой текст"] button[type="submit"]');
    await p.waitForSelector('[data-testid="check-result"] >> text=Не соответствует правилам');
    expect(await p.locator('[data-testid="check-result"] .finding-error').count()).toBeGreaterThan(0);
    await screenshot(p, 'playground');
  });

  it('Segments: shows sizes, profiles, projection and k selection, and assigns a new client', async () => {
    const p = await page();
    await logIn(p, ui.url, 'admin', ADMIN_PASSWORD);
    await p.click('#main-nav >> text=Сегменты');
    for (const chart of ['sizes', 'profiles', 'projection', 'k'])
      await p.waitForSelector(`[data-testid="chart-${chart}"] canvas`);
    const k = Number(await p.textContent('[data-testid="kpi-k"] .value'));
    expect(k).toBeGreaterThanOrEqual(2);
    expect(await p.locator('[data-testid="segment-table"] tbody tr').count()).toBe(k);
    await p.click('[data-testid="assign-form"] button[type="submit"]');
    await p.waitForSelector('[data-testid="assign-result"]');
    expect(await p.textContent('[data-testid="assign-result"]')).toMatch(/Сегмент \d+/);
    expect(await p.locator('[data-testid="assign-result"] li').count()).toBeGreaterThan(0);
    await screenshot(p, 'segments');
  });

  it('Client and Data: a client of the dataset with products by month, recommendations and offers; the analysis', async () => {
    // A client id of the demo file the server ingested (second column of the first data row).
    const csv = await readFile(path.join(ui.config.dataDir, 'demo', 'train_ver2-demo.csv'), 'utf8');
    const id = csv.split('\n')[1].split(',')[1].replaceAll('"', '').trim();
    expect(id).toMatch(/^\d+$/);
    const p = await page();
    await logIn(p, ui.url, 'admin', ADMIN_PASSWORD);
    await p.goto(`${ui.url}/client?id=${id}`);
    await p.waitForSelector('[data-testid="client-page"]');
    await p.waitForSelector('[data-testid="client-timeline"] canvas');
    expect(await p.textContent('[data-testid="client-month"]')).toMatch(/\d{4}-\d{2}/);
    const recommended = await p.locator('[data-testid="client-recommendations"] tbody tr').count();
    expect(recommended).toBeGreaterThan(0);
    // Without consent the bank's policy excludes the consent channels, and the page says why.
    const offersForm = '[data-testid="client-page"] form';
    await p.click(`${offersForm} button[type="submit"]`);
    await p.waitForSelector('[data-testid="client-offers"]');
    const cards = '[data-testid="client-offers"] [data-testid^="offer"]';
    expect(await p.locator(cards).count()).toBeGreaterThan(0);
    const excluded = await p.locator('[data-testid="offer-excluded"]').allTextContents();
    expect(excluded.length).toBeGreaterThan(0);
    expect(excluded.join(' ')).toContain('CONSENT_MISSING');
    // With consent, texts come back with confidence and the compliance verdict.
    await p.getByLabel('Клиент дал согласие на рекламу').check();
    // The consent channels excluded before now get texts: no CONSENT_MISSING is left.
    await p.click(`${offersForm} button[type="submit"]`);
    await p.waitForSelector('[data-testid="client-offers"] [data-testid="offer"]');
    expect(await p.locator('[data-testid="client-offers"] [data-testid="offer"]').count()).toBeGreaterThan(0);
    expect((await p.locator('[data-testid="offer-excluded"]').allTextContents()).join(' ')).not.toContain(
      'CONSENT_MISSING',
    );
    await screenshot(p, 'client');

    await p.click('#main-nav >> text=Данные');
    for (const chart of [
      'popularity',
      'ownership',
      'additions',
      'seasonality',
      'age',
      'income',
      'segments',
      'channels',
    ])
      await p.waitForSelector(`[data-testid="chart-${chart}"] canvas`);
    await p.waitForSelector('[data-testid="quality-kpis"]');
    await screenshot(p, 'data');
  });

  it('Experiments & models: lists runs, compares two, shows the registry', async () => {
    const p = await page();
    await logIn(p, ui.url, 'admin', ADMIN_PASSWORD);
    await p.click('#main-nav >> text=Эксперименты и модели');
    await p.waitForSelector('[data-testid="runs-table"] tbody tr');
    const boxes = p.locator('[data-testid="runs-table"] tbody input[type="checkbox"]');
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await p.waitForSelector('[data-testid="compare"] table');
    await p.waitForSelector('[data-testid="model-segments"] >> text=в работе');
    await screenshot(p, 'experiments');
  });

  it('Users: an admin creates an operator, who signs in with operator rights only', async () => {
    const admin = await page();
    await logIn(admin, ui.url, 'admin', ADMIN_PASSWORD);
    await admin.click('#main-nav >> text=Пользователи');
    await admin.fill('input[name="new-name"]', 'olga');
    await admin.selectOption('select[name="new-role"]', 'operator');
    await admin.fill('input[name="new-password"]', 'operator password 123');
    await admin.click('form[aria-label="Новый пользователь"] button[type="submit"]');
    await admin.waitForSelector('[data-testid="users-table"] >> text=olga');

    const op = await page();
    await logIn(op, ui.url, 'olga', 'operator password 123');
    expect(await op.textContent('[data-testid="current-user"]')).toContain('operator');
    const nav = await op.textContent('#main-nav');
    expect(nav).toContain('История');
    expect(nav).not.toContain('Пользователи');
    expect(nav).not.toContain('Эксперименты');
    await op.goto(`${ui.url}/users`);
    await op.waitForSelector('[data-testid="forbidden"]');
    const status = await op.evaluate(async () => {
      const r = await fetch('/v1/users', { headers: { 'x-requested-with': 'test' } });
      return r.status;
    });
    expect(status).toBe(403);
    await op.goto(`${ui.url}/history`);
    await op.waitForSelector('[data-testid="history-table"] tbody tr');
    await op.goto(`${ui.url}/users`);
    await op.waitForSelector('[data-testid="forbidden"]');
    await screenshot(op, 'operator-refused');
  });

  it('phone width (390 px): the navigation folds into a menu and nothing overflows', async () => {
    const p = await page(390, 844);
    await logIn(p, ui.url, 'admin', ADMIN_PASSWORD);
    await p.goto(`${ui.url}/history`);
    await p.waitForSelector('[data-testid="history-table"] tbody tr');
    expect(await p.isVisible('#main-nav')).toBe(false);
    const overflow = Number(await p.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await p.click('.menu-button');
    expect(await p.isVisible('#main-nav >> text=Сегменты')).toBe(true);
    const navOverflow = Number(
      await p.evaluate(
        'document.getElementById("main-nav").getBoundingClientRect().right - window.innerWidth',
      ),
    );
    expect(navOverflow).toBeLessThanOrEqual(0);
    await screenshot(p, 'phone-history');
    // The other pages fit the width too (wide tables scroll inside their own box).
    for (const [path, ready] of [
      ['/', '[data-testid="chart-requests"] canvas'],
      ['/playground', 'input[name="product"]'],
      ['/segments', '[data-testid="chart-projection"] canvas'],
      ['/experiments', '[data-testid="runs-table"] tbody tr'],
      ['/users', '[data-testid="users-table"] tbody tr'],
    ]) {
      await p.goto(`${ui.url}${path}`);
      await p.waitForSelector(ready);
      const over = Number(await p.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
      expect(over, path).toBeLessThanOrEqual(0);
    }
  });
});
