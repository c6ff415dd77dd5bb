/**
 * The phrase grammar: a text is greeting + personal hook + benefit + call to action + mandatory
 * legal block, laid out by the channel's structure (SMS text; push/banner title + body; e-mail
 * subject + body + signature; call and courier scripts in labelled sections) in its tone. Each
 * candidate records the ids of the phrases it used (`elements`), so feedback can credit them.
 */
import type { Channel, Product } from './catalog.js';
import type { Rng } from '../ml/random.js';
import { capitalize, type Locale } from './morphology.js';
import type { Benefit, Hook, Phrase, PhraseContext, Phrasebook } from './phrasebook.js';
import { EN } from './phrases-en.js';
import { RU } from './phrases-ru.js';

export const PHRASEBOOKS: Record<Locale, Phrasebook> = { ru: RU, en: EN };

export interface Candidate {
  text: string;
  title?: string;
  subject?: string;
  /** Ids of the phrases used, in order: greeting, hook, benefit, cta, legal, title/subject. */
  elements: string[];
}

export interface GrammarContext extends PhraseContext {
  channel: Channel;
  locale: Locale;
}

interface Choice {
  greeting: Phrase | null;
  hook: Hook | null;
  benefit: Benefit;
  cta: Phrase;
  heading: Phrase | null;
}

/** The legal block a benefit requires for the product, and its element id. */
function legalBlock(book: Phrasebook, product: Product, benefit: Benefit, site: string): [string, string] {
  if (product.credit) {
    return benefit.conditions === 'none'
      ? ['legal.credit.risk', book.legal.risk]
      : ['legal.credit.pointer', `${book.legal.pointer(site)} ${book.legal.risk}`];
  }
  const parts: string[] = [];
  if (product.kind === 'investment') parts.push(book.legal.noGuarantee);
  if (benefit.conditions === 'all') parts.push(book.legal.conditionsOnSite(site));
  if (parts.length === 0) return ['legal.none', ''];
  return [product.kind === 'investment' ? 'legal.invest' : 'legal.site', parts.join(' ')];
}

const join = (...parts: (string | null | undefined)[]) =>
  parts.filter((p) => p !== null && p !== undefined && p !== '').join(' ');

/** Renders one choice into a candidate, or null when a chosen phrase does not apply. */
function render(ctx: GrammarContext, book: Phrasebook, choice: Choice): Candidate | null {
  const provider = book.providerName(ctx.provider);
  const greeting = choice.greeting?.render(ctx) ?? null;
  const hook = choice.hook?.render(ctx) ?? null;
  if (choice.hook && hook === null) return null;
  const benefit = choice.benefit.render(ctx);
  if (benefit === null) return null;
  const cta = choice.cta.render(ctx) ?? '';
  // «…оформление в приложении. Оформите в приложении.» reads badly: skip such pairs.
  if (/приложени|\bapp\b/.test(benefit) && /приложени|\bapp\b/.test(cta)) return null;
  const heading = choice.heading?.render(ctx) ?? undefined;
  const [legalId, legal] = legalBlock(book, ctx.product, choice.benefit, ctx.provider.site);
  const elements = [
    choice.greeting?.id ?? 'greet.none',
    choice.hook?.id ?? 'hook.none',
    choice.benefit.id,
    choice.cta.id,
    legalId,
    ...(choice.heading ? [choice.heading.id] : []),
  ];
  const withProvider = `${provider}: ${benefit}.`;
  switch (ctx.channel.structure) {
    case 'sms':
      return { text: join(hook, withProvider, cta, legal), elements };
    case 'push':
    case 'banner':
      return { title: heading, text: join(hook, `${capitalize(benefit)}.`, cta, legal), elements };
    case 'email':
      return {
        subject: heading,
        text: [greeting, join(hook, withProvider, cta), legal, book.signature(provider)]
          .filter((x) => x)
          .join('\n\n'),
        elements,
      };
    case 'chat':
      return { text: join(greeting, hook, withProvider, cta, legal), elements };
    case 'script': {
      const s = book.script;
      const lines = [
        `${s.greeting}: ${join(greeting, s.itIs(provider))}`,
        hook ? `${s.reason}: ${hook}` : '',
        `${s.offer}: ${capitalize(benefit)}.`,
        `${s.question}: ${cta}`,
        legal ? `${s.mandatory}: ${legal}` : '',
      ];
      return { text: lines.filter((l) => l).join('\n'), elements };
    }
  }
}

function headings(ctx: GrammarContext, book: Phrasebook): readonly Phrase[] {
  if (ctx.channel.structure === 'email') return book.subjects;
  if (ctx.channel.structure === 'push' || ctx.channel.structure === 'banner') return book.titles;
  return [];
}

/**
 * Up to `draws` distinct candidates sampled from the grammar with `rng`: hooks that suit the product
 * are three times as likely, and "no hook" stays possible so that short channels always have room.
 */
export function sampleCandidates(ctx: GrammarContext, rng: Rng, draws: number): Candidate[] {
  const book = PHRASEBOOKS[ctx.locale];
  const tone = ctx.channel.tone;
  const structure = ctx.channel.structure;
  const greetings =
    structure === 'email' || structure === 'chat' || structure === 'script' ? book.greetings[tone] : [];
  const ctas = book.ctas[tone];
  const heads = headings(ctx, book);
  const benefits = book.benefits(ctx.product);
  const shortOnly = ctx.channel.structure === 'sms' || ctx.channel.structure === 'push';
  const hooks = book.hooks.filter((h) => (!shortOnly || h.short) && h.render(ctx) !== null);
  const weights = hooks.map((h) => (h.affinity.includes(ctx.product.code) ? 3 : 1));
  const total = weights.reduce((a, b) => a + b, 0) + 1; // +1: no hook
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (let d = 0; d < draws; d++) {
    let r = rng.next() * total;
    let hook: Hook | null = null;
    for (let i = 0; i < hooks.length; i++) {
      r -= weights[i];
      if (r < 0) {
        hook = hooks[i];
        break;
      }
    }
    const choice: Choice = {
      greeting: greetings.length > 0 ? greetings[rng.int(greetings.length)] : null,
      hook,
      benefit: benefits[rng.int(benefits.length)],
      cta: ctas[rng.int(ctas.length)],
      heading: heads.length > 0 ? heads[rng.int(heads.length)] : null,
    };
    const c = render(ctx, book, choice);
    if (c === null) continue;
    const key = c.elements.join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/**
 * The safe fallback: no hook, no conditions, the first call to action and the shortest heading;
 * for credit only the risk warning is needed (no condition is stated).
 */
export function fallbackCandidate(ctx: GrammarContext): Candidate | null {
  const book = PHRASEBOOKS[ctx.locale];
  const benefit: Benefit = {
    id: 'benefit.fallback',
    conditions: 'none',
    render: (c) => book.fallback(c).split(': ').slice(1).join(': '),
  };
  const heads = [...headings(ctx, book)].sort(
    (a, b) => (a.render(ctx) ?? '').length - (b.render(ctx) ?? '').length,
  );
  return render(ctx, book, {
    greeting: null,
    hook: null,
    benefit,
    cta: book.ctas[ctx.channel.tone][0] ?? book.ctas.short[0],
    heading: heads[0] ?? null,
  });
}
