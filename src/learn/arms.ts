/**
 * Champion/challenger traffic split. A client's arm is a pure function of the model name and the
 * client id (FNV-1a then the murmur3 finaliser, mapped to [0, 1)), so the same client lands in the
 * same arm on every replica and after restarts, without shared state. A share `s` of clients goes
 * to the challenger while one is registered; the rest (and everyone when there is none) to the
 * champion.
 */
import { AppError } from '../errors.js';

export type Arm = 'champion' | 'challenger';

/** A loaded model version (the shape of `ModelHolder.current()`). */
export interface HeldModel<T> {
  version: string;
  model: T;
}

/** A uniform number in [0, 1) fixed by `salt` and `clientId`. */
export function bucketOf(salt: string, clientId: string | number): number {
  const s = `${salt}\u0000${String(clientId)}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export function checkShare(share: number, what = 'challenger share'): number {
  if (!(share >= 0 && share <= 1))
    throw new AppError('ARGUMENT_INVALID', `${what} ${share}: must be in 0..1`);
  return share;
}

/** The arm of a client for a model: `challenger` for a `share` of clients. */
export function armOf(model: string, clientId: string | number, share: number): Arm {
  return bucketOf(model, clientId) < share ? 'challenger' : 'champion';
}

/** Where one request is answered from. */
export interface ArmChoice<T> {
  arm: Arm;
  /** Version label of the model answering (`name:version`), null when no model is loaded. */
  modelVersion: string | null;
  model: T | undefined;
  /** `name:version` of the challenger under test, null when no experiment runs. */
  experiment: string | null;
}

/** What the router reads: the champion and challenger holders (`ModelHolder.current()`). */
export interface ArmSources<T> {
  champion: () => HeldModel<T> | null;
  challenger: () => HeldModel<T> | null;
  /** Label of a held version, e.g. `offers-confidence:3`. */
  label: (version: string) => string;
}

/**
 * Routes clients between champion and challenger. The challenger holder only holds a version that
 * was registered after the champion and never promoted (`challengerSource`); once it is promoted
 * the champion holder loads the same version and the experiment ends.
 */
export class ArmRouter<T> {
  readonly name: string;
  readonly #sources: ArmSources<T>;
  readonly #share: number;

  constructor(name: string, sources: ArmSources<T>, share: number) {
    this.name = name;
    this.#sources = sources;
    this.#share = checkShare(share);
  }

  /** The champion's holder version (`3`, `artifact:…`), null when none is loaded. */
  championVersion(): string | null {
    return this.#sources.champion()?.version ?? null;
  }

  /** The running experiment's challenger label, or null. */
  experiment(): string | null {
    const challenger = this.#sources.challenger();
    if (challenger === null || this.#share === 0) return null;
    const champion = this.#sources.champion();
    if (champion !== null && champion.version === challenger.version) return null;
    return this.#sources.label(challenger.version);
  }

  choose(clientId: string | number): ArmChoice<T> {
    const experiment = this.experiment();
    const held =
      experiment !== null && armOf(this.name, clientId, this.#share) === 'challenger'
        ? this.#sources.challenger()
        : null;
    if (held !== null) {
      return { arm: 'challenger', model: held.model, modelVersion: experiment, experiment };
    }
    return this.champion(experiment);
  }

  /** The champion's answer (requests without a client id, e.g. cold start, stay on the champion). */
  champion(experiment = this.experiment()): ArmChoice<T> {
    const champion = this.#sources.champion();
    return {
      arm: 'champion',
      model: champion?.model,
      modelVersion: champion === null ? null : this.#sources.label(champion.version),
      experiment,
    };
  }
}
