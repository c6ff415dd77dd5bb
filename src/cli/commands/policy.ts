/**
 * `nextoffer policy check [file]`: validates a decisioning policy against the catalog and summarises
 * its rules. `nextoffer policy explain --client ID`: which products and channels the policy allows
 * for one client and why not, with the client's contacts and failures read from the offer log.
 */
import type { Command } from 'commander';
import { describeSet } from '../../decision/products.js';
import { factsFromFeatures } from '../../decision/client.js';
import { ContactLedger } from '../../decision/contacts.js';
import { Decider } from '../../decision/decider.js';
import type { Exclusion } from '../../decision/eligibility.js';
import { loadPolicy, policyPathFrom, type ChannelSet, type Policy } from '../../decision/policy.js';
import { AppError, errorMessage } from '../../errors.js';
import { loadConfiguredCatalog } from '../../offers/catalog.js';
import { loadClients } from '../../offers/clients.js';
import { configWith, print, printJson, withDatabase, type CommonFlags } from '../context.js';

const channels = (c: ChannelSet) => (c.all ? 'every channel' : [...c.codes].join(', '));

/** One line per rule, in file order. */
export function describePolicy(p: Policy): string[] {
  return [
    ...p.age.map((r) => `${r.path}: age ${r.min}..${r.max} for ${describeSet(r.products)}`),
    ...p.holdings.map(
      (r) =>
        `${r.path}: not to holders of ${[r.self ? 'the product itself' : null, r.holds ? describeSet(r.holds) : null].filter((x) => x !== null).join(' or ')} — ${describeSet(r.products)}`,
    ),
    ...p.regions.map(
      (r) =>
        `${r.path}: ${r.mode} regions ${[...r.codes, ...r.names].join(', ')} for ${describeSet(r.products)}`,
    ),
    ...p.consent.map((r) => `${r.path}: consent required on ${channels(r.channels)}`),
    ...p.limits.map(
      (r) => `${r.path}: at most ${r.max} contacts per ${r.days} days on ${channels(r.channels)}`,
    ),
    ...p.suppression.map(
      (r) =>
        `${r.path}: suppressed after ${r.failures} failures in ${r.days} days — ${describeSet(r.products)}`,
    ),
    ...p.levers.map(
      (r) =>
        `${r.path}: weight ${r.weight}${r.from || r.to ? ` from ${r.from ?? '…'} to ${r.to ?? '…'}` : ''} for ${describeSet(r.products)}`,
    ),
  ];
}

async function clientFeatures(flags: { client: string; clients?: string; features?: string }) {
  if (flags.features !== undefined) {
    try {
      const raw: unknown = JSON.parse(flags.features);
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw))
        return raw as Record<string, unknown>;
    } catch (e) {
      throw new AppError('ARGUMENT_INVALID', `--features: not valid JSON (${errorMessage(e)})`, { cause: e });
    }
    throw new AppError('ARGUMENT_INVALID', '--features: must be a JSON object');
  }
  if (flags.clients === undefined)
    throw new AppError(
      'ARGUMENT_INVALID',
      'policy explain: give the client with --clients FILE or --features JSON',
    );
  const found = (await loadClients(flags.clients)).find((c) => String(c.client_id) === flags.client);
  if (!found) throw new AppError('CLIENT_NOT_FOUND', `client ${flags.client} is not in ${flags.clients}`);
  return found.features;
}

interface ExplainFlags extends CommonFlags {
  client: string;
  clients?: string;
  features?: string;
  policy?: string;
  history: boolean;
}

export function registerPolicy(program: Command): void {
  const policy = program
    .command('policy')
    .description('decisioning policy: eligibility rules, contact policy, arbitration levers');
  policy
    .command('check [file]')
    .description(
      'validate a policy file against the catalog (default: NEXTOFFER_POLICY_FILE or the shipped one)',
    )
    .option('--json', 'print the result as JSON')
    .action((file: string | undefined, flags: { json?: boolean }) => {
      const config = configWith({});
      const source = file ?? policyPathFrom(config);
      const p = loadPolicy(source, loadConfiguredCatalog(config));
      const rules = describePolicy(p);
      if (flags.json) printJson({ file: source, version: p.version, rules });
      else
        print(
          [
            `${source}: valid, version ${p.version}, ${rules.length} rules`,
            ...rules.map((r) => `  ${r}`),
          ].join('\n'),
        );
    });
  policy
    .command('explain')
    .description('which products and channels the policy allows for a client, and why not')
    .requiredOption('--client <id>', 'client id (its contacts and failures are read from the offer log)')
    .option('--clients <file>', 'client file with the client (xlsx, csv or json, as for `offers`)')
    .option('--features <json>', 'the client features as a JSON object instead of a file')
    .option('--policy <file>', 'policy file (default: NEXTOFFER_POLICY_FILE or the shipped one)')
    .option('--no-history', 'ignore the offer log (contacts and failures)')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: ExplainFlags) => {
      const config = configWith(flags);
      if (!/^\d{1,15}$/.test(flags.client))
        throw new AppError(
          'ARGUMENT_INVALID',
          `--client ${JSON.stringify(flags.client)}: must be an integer id`,
        );
      const catalog = loadConfiguredCatalog(config);
      const p = loadPolicy(flags.policy ?? policyPathFrom(config), catalog);
      const facts = factsFromFeatures(
        await clientFeatures(flags),
        catalog.channels.map((c) => c.code),
      );
      const explain = async (ledger: ContactLedger | null) =>
        new Decider({ policy: p, catalog, ledger }).explain(Number(flags.client), facts);
      const rows = flags.history
        ? await withDatabase(config, (db) => explain(new ContactLedger(db)))
        : await explain(null);
      if (flags.json) return printJson({ client: flags.client, policy: p.source, offers: rows });
      for (const product of catalog.products.map((x) => x.code)) {
        const of = rows.filter((r) => r.product === product);
        const open = of.filter((r) => r.excluded.length === 0).map((r) => r.channel);
        const general = new Map<string, Exclusion>();
        for (const r of of) for (const e of r.excluded) if (e.channel === undefined) general.set(e.reason, e);
        if (general.size > 0) {
          print(
            `${product}: not eligible — ${[...general.values()].map((e) => `${e.rule}: ${e.reason}`).join('; ')}`,
          );
          continue;
        }
        const closed = of.flatMap((r) => r.excluded.map((e) => `${r.channel} ${e.rule}: ${e.reason}`));
        print(
          `${product}: ${open.length > 0 ? `eligible on ${open.join(', ')}` : 'no channel'}${closed.length > 0 ? `; not on ${closed.join('; ')}` : ''}`,
        );
      }
    });
}
