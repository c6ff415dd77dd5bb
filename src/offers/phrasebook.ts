/**
 * The shape of a locale's phrase book. Each phrase has a stable id (recorded with every offer, so
 * feedback can be credited to it) and renders to text, or `null` when it does not apply.
 */
import type { ChannelTone, Product, Provider } from './catalog.js';
import type { ClientProfile } from './features.js';

export interface PhraseContext {
  profile: ClientProfile;
  product: Product;
  provider: Provider;
}

export interface Phrase {
  id: string;
  render(ctx: PhraseContext): string | null;
}

/** A personal hook: which feature it uses, and the products it suits best. */
export interface Hook extends Phrase {
  /** Short enough for SMS and push. */
  short: boolean;
  /** Product codes this hook is most relevant to (weighted up when sampling). */
  affinity: readonly string[];
}

/** A benefit sentence; `conditions` tells the legal block which conditions it states. */
export interface Benefit extends Phrase {
  conditions: 'none' | 'some' | 'all';
}

export interface Phrasebook {
  greetings: Record<ChannelTone, readonly Phrase[]>;
  hooks: readonly Hook[];
  benefits(product: Product): readonly Benefit[];
  ctas: Record<ChannelTone, readonly Phrase[]>;
  titles: readonly Phrase[];
  subjects: readonly Phrase[];
  legal: {
    pointer(site: string): string;
    risk: string;
    noGuarantee: string;
    conditionsOnSite(site: string): string;
  };
  script: {
    greeting: string;
    reason: string;
    offer: string;
    question: string;
    mandatory: string;
    itIs(provider: string): string;
  };
  signature(provider: string): string;
  /** Safe fallback benefit (no conditions, no hook). */
  fallback(ctx: PhraseContext): string;
  providerName(provider: Provider): string;
}
