/**
 * The decisioning policy: eligibility rules, contact policy and arbitration levers as data, in a
 * YAML file the bank edits (`policy/policy.yaml` ships demo rules; `NEXTOFFER_POLICY_FILE` points to
 * a bank's own). Validation is strict (`policy-check.ts`): every error names the file, the rule path
 * and the problem. The README section "Decisioning" documents the format.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Config } from '../config.js';
import { AppError, errorMessage } from '../errors.js';
import type { Catalog } from '../offers/catalog.js';
import { compilePolicy, type PolicyFinding } from './policy-check.js';
import type { ProductSet } from './products.js';

export const POLICY_FORMAT = 'nextoffer-policy';

/** Channels a rule applies to: every catalog channel, or the listed ones. */
export type ChannelSet = { all: true } | { all: false; codes: ReadonlySet<string> };

export function inChannels(set: ChannelSet, channel: string): boolean {
  return set.all || set.codes.has(channel);
}

interface Rule {
  /** Where the rule sits in the file, e.g. `eligibility.age[0]`. */
  path: string;
}

export interface AgeRule extends Rule {
  products: ProductSet;
  min: number;
  max: number;
}

export interface HoldingRule extends Rule {
  products: ProductSet;
  /** The product itself counts as a blocking holding (`holds: [self]`, the default). */
  self: boolean;
  /** Other products whose holding blocks the offer. */
  holds: ProductSet | null;
}

export interface RegionRule extends Rule {
  products: ProductSet;
  mode: 'allow' | 'deny';
  /** Province codes (Santander `cod_prov`). */
  codes: ReadonlySet<number>;
  /** Region names, lower case (Santander `nomprov`, or a `region` feature). */
  names: ReadonlySet<string>;
}

export interface ConsentRule extends Rule {
  channels: ChannelSet;
}

export interface ContactLimit extends Rule {
  channels: ChannelSet;
  /** At most `max` contacts per client on each channel within the last `days` days. */
  max: number;
  days: number;
}

export interface Suppression extends Rule {
  products: ProductSet;
  /** A product is not offered to a client with `failures` failed offers of it within `days` days. */
  failures: number;
  days: number;
}

export interface Lever extends Rule {
  products: ProductSet;
  weight: number;
  /** Inclusive `YYYY-MM-DD` window; null: open. */
  from: string | null;
  to: string | null;
}

export interface Policy {
  /** The file it was read from (or `inline`). */
  source: string;
  version: string;
  age: AgeRule[];
  holdings: HoldingRule[];
  regions: RegionRule[];
  consent: ConsentRule[];
  limits: ContactLimit[];
  suppression: Suppression[];
  levers: Lever[];
  /** Values of products outside the catalog (Santander products), by canonical code. */
  margins: ReadonlyMap<string, number>;
}

/** Every problem of a parsed policy (empty: valid) — see `policy-check.ts`. */
export function checkPolicy(raw: unknown, catalog: Catalog): PolicyFinding[] {
  return compilePolicy(raw, catalog, 'inline').findings;
}

/** Validates a parsed policy against the catalog; throws `POLICY_INVALID` listing the problems. */
export function parsePolicy(raw: unknown, catalog: Catalog, source = 'inline'): Policy {
  const { policy, findings } = compilePolicy(raw, catalog, source);
  if (findings.length > 0 || policy === null) {
    const list = findings.slice(0, 10).map((f) => `${f.path}: ${f.message}`);
    const more = findings.length > 10 ? `; and ${findings.length - 10} more` : '';
    throw new AppError('POLICY_INVALID', `policy ${source}: ${list.join('; ')}${more}`);
  }
  return policy;
}

/** Parses YAML text (line numbers in syntax errors) and validates it. */
export function parsePolicyText(text: string, catalog: Catalog, source = 'inline'): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    throw new AppError('POLICY_INVALID', `policy ${source}: not valid YAML (${errorMessage(e)})`, {
      cause: e,
    });
  }
  return parsePolicy(raw, catalog, source);
}

/** The shipped policy, `policy/policy.yaml` at the project root (from `src/` or `dist/src/`). */
export const DEFAULT_POLICY_PATH = ((): string => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../../policy/policy.yaml'),
    path.resolve(here, '../../../policy/policy.yaml'),
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
})();

export function loadPolicy(file: string, catalog: Catalog): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('INPUT_NOT_FOUND', `policy ${file}: cannot read (${errorMessage(e)})`, { cause: e });
  }
  return parsePolicyText(text, catalog, file);
}

/** The policy file in effect: `NEXTOFFER_POLICY_FILE` when set, else the shipped one. */
export function policyPathFrom(config: Pick<Config, 'policyFile'>): string {
  return config.policyFile === '' ? DEFAULT_POLICY_PATH : path.resolve(config.policyFile);
}
