/**
 * Optional rewriter: when `LLM_BASE_URL` points to an on-premise OpenAI-compatible server, offer texts
 * may be paraphrased by it (`POST {base}/chat/completions`). Every paraphrase is re-checked by the
 * compliance checker (all rules and the channel's limits) and dropped — the original text kept — on
 * any finding, an error, or no answer within the time limit (1.5 s by default). Off by default.
 */
import { channelOf, productOf, type Catalog } from './catalog.js';
import { smsInfo } from './channel-limits.js';
import { checkOffer } from './compliance/check.js';
import type { OfferAnswer } from './engine.js';

export interface RewriterOptions {
  baseUrl: string;
  catalog: Catalog;
  model?: string;
  /** Per-request time limit. Default 1500 ms. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  fetchFn?: typeof fetch;
}

export const REWRITE_TIMEOUT_MS = 1500;

const SYSTEM_RU =
  'Перефразируй рекламный текст банка для клиента, сохранив смысл, все цифры и обязательные фразы дословно ' +
  '(«Изучите все условия кредита (займа)…», «Оценивайте свои финансовые возможности и риски», название банка). ' +
  'Не добавляй обещаний доходности и превосходных степеней. Ответь только новым текстом.';
const SYSTEM_EN =
  'Paraphrase this bank offer keeping its meaning, every number, the bank name and the mandatory phrases verbatim. ' +
  'Add no promises of returns and no superlatives. Reply with the new text only.';

interface ChatResponse {
  choices?: { message?: { content?: unknown } }[];
}

export interface RewriteStats {
  rewritten: number;
  rejected: number;
  failed: number;
}

export function createRewriter(options: RewriterOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? REWRITE_TIMEOUT_MS;
  const fetchFn = options.fetchFn ?? fetch;
  const stats: RewriteStats = { rewritten: 0, rejected: 0, failed: 0 };

  async function paraphrase(a: OfferAnswer): Promise<string | null> {
    try {
      const res = await fetchFn(`${base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: options.model ?? 'default',
          temperature: 0.7,
          messages: [
            { role: 'system', content: a.locale === 'en' ? SYSTEM_EN : SYSTEM_RU },
            { role: 'user', content: a.text },
          ],
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) return null;
      const body = (await res.json()) as ChatResponse;
      const text = body.choices?.[0]?.message?.content;
      return typeof text === 'string' && text.trim() !== '' ? text.trim() : null;
    } catch {
      return null;
    }
  }

  async function one(a: OfferAnswer): Promise<OfferAnswer> {
    if (a.text === '') return a;
    const text = await paraphrase(a);
    if (text === null) {
      stats.failed++;
      return a;
    }
    const channel = channelOf(options.catalog, a.channel);
    const findings = checkOffer({
      text,
      title: a.title,
      subject: a.subject,
      locale: a.locale,
      product: productOf(options.catalog, a.product),
      channel,
      provider: options.catalog.provider,
      consent: true,
    });
    if (findings.length > 0) {
      stats.rejected++;
      return a;
    }
    stats.rewritten++;
    return {
      ...a,
      text,
      sms_segments: channel.structure === 'sms' ? smsInfo(text).segments : null,
      elements: [...a.elements, 'rewrite.llm'],
    };
  }

  /** Paraphrases each answer (original kept when the paraphrase fails or is not compliant), in order. */
  async function rewrite(answers: readonly OfferAnswer[]): Promise<OfferAnswer[]> {
    const out: OfferAnswer[] = new Array<OfferAnswer>(answers.length);
    let next = 0;
    const worker = async () => {
      while (next < answers.length) {
        const i = next++;
        out[i] = await one(answers[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    return out;
  }

  return { rewrite, stats };
}
