/**
 * Drift of served traffic: keeps the last `window` values of each referenced feature (and of the
 * model's score) in fixed-size ring buffers — memory is bounded whatever the traffic — and reports
 * the PSI of each against the reference saved with the served model version.
 */
import { psi, type DriftReference, type FeatureReference } from './drift.js';

export interface FeatureDrift {
  feature: string;
  psi: number;
  /** Recent values the PSI was computed on. */
  n: number;
}

export interface DriftReport {
  model: string;
  /** Version the reference belongs to (`name:version`). */
  modelVersion: string;
  threshold: number;
  /** Features with enough recent values, highest PSI first. */
  features: FeatureDrift[];
  maxPsi: number | null;
  alert: boolean;
  /** Values observed since the monitor started (or the model changed). */
  observed: number;
}

class Ring {
  readonly #values: unknown[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#values = new Array<unknown>(capacity);
  }

  push(v: unknown): void {
    this.#values[this.#next] = v;
    this.#next = (this.#next + 1) % this.#values.length;
    if (this.#size < this.#values.length) this.#size++;
  }

  values(): unknown[] {
    return this.#size < this.#values.length ? this.#values.slice(0, this.#size) : [...this.#values];
  }

  get size(): number {
    return this.#size;
  }
}

export interface DriftMonitorOptions {
  model: string;
  modelVersion: string;
  reference: DriftReference;
  /** PSI at or above which the alert is raised. */
  threshold: number;
  /** Recent values kept per feature. Default 5000. */
  window?: number;
  /** Fewest recent values for a feature's PSI to be reported. Default 200. */
  minValues?: number;
}

/** The key of the model's output (offer confidence, top recommendation score) in references and records. */
export const SCORE_FEATURE = 'score';

export class DriftMonitor {
  readonly model: string;
  readonly modelVersion: string;
  readonly #o: DriftMonitorOptions;
  readonly #rings = new Map<string, { ref: FeatureReference; ring: Ring }>();
  #observed = 0;

  constructor(options: DriftMonitorOptions) {
    this.#o = options;
    this.model = options.model;
    this.modelVersion = options.modelVersion;
    const window = options.window ?? 5000;
    for (const [k, ref] of Object.entries(options.reference.features))
      this.#rings.set(k, { ref, ring: new Ring(window) });
  }

  /**
   * Records one answered request: its inputs and the model's score under `score` (`SCORE_FEATURE`).
   * Only referenced keys are kept; an absent key counts as missing.
   */
  observe(record: Record<string, unknown>): void {
    this.#observed++;
    for (const [k, { ring }] of this.#rings) ring.push(record[k]);
  }

  report(): DriftReport {
    const minValues = this.#o.minValues ?? 200;
    const features: FeatureDrift[] = [];
    for (const [feature, { ref, ring }] of this.#rings) {
      if (ring.size < minValues) continue;
      features.push({ feature, psi: psi(ref, ring.values()), n: ring.size });
    }
    features.sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : 1));
    const maxPsi = features.length === 0 ? null : features[0].psi;
    return {
      model: this.model,
      modelVersion: this.modelVersion,
      threshold: this.#o.threshold,
      features,
      maxPsi,
      alert: maxPsi !== null && maxPsi >= this.#o.threshold,
      observed: this.#observed,
    };
  }
}

/** Writes reports into the `nextoffer_drift_psi` / `nextoffer_drift_alert` gauges (`src/api/metrics.ts`). */
export function setDriftGauges(
  gauges: {
    driftPsi: { reset(): void; set(labels: { model: string; feature: string }, v: number): void };
    driftAlert: { reset(): void; set(labels: { model: string }, v: number): void };
  },
  reports: readonly DriftReport[],
): void {
  gauges.driftPsi.reset();
  gauges.driftAlert.reset();
  for (const r of reports) {
    for (const f of r.features) gauges.driftPsi.set({ model: r.model, feature: f.feature }, f.psi);
    gauges.driftAlert.set({ model: r.model }, r.alert ? 1 : 0);
  }
}
