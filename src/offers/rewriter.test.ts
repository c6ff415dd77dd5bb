/** The rewriter against a local fake OpenAI-compatible server (node:http). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog.js';
import { createOfferEngine } from './engine.js';
import { REWRITE_TIMEOUT_MS, createRewriter } from './rewriter.js';

const catalog = loadCatalog();
let reply: (userText: string) => { delayMs: number; content: string; status?: number };
const seen: { path: string; model: unknown; messages: { role: string; content: string }[] }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { model: unknown; messages: { role: string; content: string }[] };
      seen.push({ path: req.url ?? '', ...parsed });
      const r = reply(parsed.messages[1].content);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: r.content } }] }));
      }, r.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const answers = () =>
  createOfferEngine({ catalog, seed: 2 }).generate([
    { client_id: 1, features: { gender: '1' }, product: 'DEPOSIT', channel: 'MOBILE_CHAT' },
    { client_id: 2, features: { gender: '0' }, product: 'ПК', channel: 'MOBILE_CHAT' },
  ]);

describe('LLM rewriter', () => {
  it('keeps compliant paraphrases and drops ones with findings', async () => {
    reply = (text) =>
      text.includes('вклад')
        ? { delayMs: 0, content: 'Демобанк: откройте вклад в приложении — это займёт пару минут.' }
        : { delayMs: 0, content: 'Лучший кредит наличными от Демобанка!' };
    const original = answers();
    const r = createRewriter({ baseUrl: base, catalog });
    const out = await r.rewrite(original);
    expect(out[0].text).toBe('Демобанк: откройте вклад в приложении — это займёт пару минут.');
    expect(out[0].elements.at(-1)).toBe('rewrite.llm');
    expect(out[1]).toEqual(original[1]);
    expect(r.stats).toEqual({ rewritten: 1, rejected: 1, failed: 0 });
    expect(seen.at(-1)!.path).toBe('/v1/chat/completions');
    expect(seen.at(-1)!.messages[0].role).toBe('system');
  });

  it('drops a paraphrase that comes too late, or an error', async () => {
    expect(REWRITE_TIMEOUT_MS).toBe(1500);
    reply = () => ({ delayMs: 800, content: 'Демобанк: вклад.' });
    const original = answers();
    const r = createRewriter({ baseUrl: base, catalog, timeoutMs: 150 });
    const started = Date.now();
    const out = await r.rewrite(original);
    expect(Date.now() - started).toBeLessThan(700);
    expect(out).toEqual(original);
    expect(r.stats.failed).toBe(2);
    reply = () => ({ delayMs: 0, content: 'x', status: 500 });
    const r2 = createRewriter({ baseUrl: base, catalog });
    expect(await r2.rewrite(original)).toEqual(original);
    expect(r2.stats.failed).toBe(2);
  });
});
