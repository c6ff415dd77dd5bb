/**
 * Product holdings over time: initial ownership from the fitted ownership models, then each month
 * additions and drops from the fitted transition models, with
 * - re-additions: a product dropped within RECENT_MONTHS is re-added more often (its odds factor is
 *   set so that re-additions make up the measured share of additions);
 * - seasonality (timeline.ts) on top;
 * - intercept shifts set during the burn-in months so that expected additions per non-owner match
 *   the measured monthly rates and expected drops balance them (holdings stay near the measured
 *   ownership rates). Shifts are frozen once the written months start.
 */
import { Rng } from '../../ml/random.js';
import { ADD_MODELS } from './addition-models.js';
import {
  ADD_ORDER,
  ADDED_SLOT,
  OWNED_SLOT,
  OWNERSHIP_ORDER,
  ageBand,
  demoScore,
  rentaZ,
  tenureBand,
  type DemoState,
} from './features.js';
import { ageAt, canalGroupOf, type Population } from './population.js';
import { DROP_MODELS, OWN_MODELS } from './product-models.js';
import { PRODUCT_RATES } from './product-rates.js';
import { SEASON_ADD, SEASON_DROP } from './timeline.js';

const P = 24;
/** A product dropped this many months ago or less counts as recently dropped. */
const RECENT_MONTHS = 4;
/** Monthly chance that an active client becomes inactive (the reverse keeps the active share). */
const DEACTIVATION = 0.004;
const ACTIVE_SHARE = 0.424;
const REACTIVATION = (DEACTIVATION * ACTIVE_SHARE) / (1 - ACTIVE_SHARE);
const NEVER = -32768;
/** Floor of a measured monthly addition rate (products never added in the sample). */
const MIN_RATE = 0.5 / PRODUCT_RATES.additions.clients;

/** `out[p*24+q]` = coefficient of model p on product q's slot (0 when q has no slot). */
function productMatrix(models: readonly (readonly number[])[], slotOf: Int16Array): Float64Array {
  const out = new Float64Array(P * P);
  for (let p = 0; p < P; p++) {
    for (let q = 0; q < P; q++) if (q !== p && slotOf[q] >= 0) out[p * P + q] = models[p][slotOf[q]];
  }
  return out;
}

const OWN_OWN = productMatrix(OWN_MODELS, OWNED_SLOT);
const ADD_OWN = productMatrix(ADD_MODELS, OWNED_SLOT);
const ADD_ADDED = productMatrix(ADD_MODELS, ADDED_SLOT);
const DROP_OWN = productMatrix(DROP_MODELS, OWNED_SLOT);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const lowestBit = (m: number) => 31 - Math.clz32(m & -m);
const calendarMonth = (t: number) => ((t % 12) + 12) % 12;

export interface MonthStats {
  /** Clients present in both the previous month and this one. */
  continuing: number;
  /** Of those, clients adding at least one product. */
  adders: number;
  additions: Int32Array;
  drops: Int32Array;
}

export class ProductDynamics {
  /** Bit p set when client c holds product p (SANTANDER_PRODUCTS order). */
  readonly owned: Uint32Array;
  private readonly dropMonth: Int16Array;
  private readonly addDemo: Float32Array;
  private readonly dropDemo: Float32Array;
  private readonly demoKey: Int32Array;
  private readonly addShift = new Float64Array(P);
  private readonly dropShift = new Float64Array(P);
  private readonly logRecency = new Float64Array(P).fill(Math.log(10));
  private rateScale = 1;
  private readonly expected = {
    recent: new Float64Array(P),
    other: new Float64Array(P),
    drops: new Float64Array(P),
    nonOwners: new Float64Array(P),
    adders: 0,
  };
  private readonly state: DemoState = {
    ageBand: 0,
    segment: 0,
    rentaZ: 0,
    rentaMissing: false,
    active: false,
    male: false,
    canalGroup: 0,
    tenureBand: 0,
  };

  constructor(
    private readonly pop: Population,
    private readonly rng: Rng,
  ) {
    this.owned = new Uint32Array(pop.size);
    this.dropMonth = new Int16Array(pop.size * P).fill(NEVER);
    this.addDemo = new Float32Array(pop.size * P);
    this.dropDemo = new Float32Array(pop.size * P);
    this.demoKey = new Int32Array(pop.size).fill(-1);
  }

  /** Fills `state` with client c's demographics at month t; recomputes cached scores when they changed. */
  private refresh(c: number, t: number): void {
    const pop = this.pop;
    const s = this.state;
    s.ageBand = ageBand(ageAt(pop, c, t));
    s.tenureBand = tenureBand(t - pop.altaMonth[c]);
    s.active = pop.active[c] === 1;
    const key = s.ageBand | (s.tenureBand << 3) | (pop.active[c] << 5);
    if (key === this.demoKey[c]) return;
    this.demoKey[c] = key;
    s.segment = pop.segment[c];
    s.rentaMissing = Number.isNaN(pop.rentaCents[c]);
    s.rentaZ = s.rentaMissing ? 0 : rentaZ(pop.rentaCents[c] / 100);
    s.male = pop.male[c] === 1;
    s.canalGroup = canalGroupOf(pop.canal[c]);
    for (let p = 0; p < P; p++) {
      this.addDemo[c * P + p] = demoScore(ADD_MODELS[p], s);
      this.dropDemo[c * P + p] = demoScore(DROP_MODELS[p], s);
    }
  }

  /**
   * Draws the products client c holds when first seen, from its demographics at month `asOf` (the
   * ownership models describe 2016-03; clients present before then are drawn as of that month).
   */
  start(c: number, asOf: number): void {
    this.refresh(c, asOf);
    let mask = 0;
    for (const p of OWNERSHIP_ORDER) {
      let z = demoScore(OWN_MODELS[p], this.state);
      for (let m = mask; m !== 0; m &= m - 1) z += OWN_OWN[p * P + lowestBit(m)];
      if (this.rng.next() < sigmoid(z)) mask |= 1 << p;
    }
    this.owned[c] = mask;
  }

  /**
   * Month t−1 → t for every client present in both (`present(c)`), in client order. Afterwards the
   * intercept shifts are updated from this month's expected additions and drops.
   */
  step(t: number, present: (c: number) => boolean): MonthStats {
    const { pop, rng, addDemo, dropDemo, addShift, dropShift, logRecency, dropMonth } = this;
    const cm = calendarMonth(t);
    const seasonAdd = Float64Array.from({ length: P }, (_, p) => Math.log(SEASON_ADD[p]?.[cm] ?? 1));
    const seasonDrop = Float64Array.from({ length: P }, (_, p) => Math.log(SEASON_DROP[p]?.[cm] ?? 1));
    const stats: MonthStats = {
      continuing: 0,
      adders: 0,
      additions: new Int32Array(P),
      drops: new Int32Array(P),
    };
    const e = this.expected;
    e.recent.fill(0);
    e.other.fill(0);
    e.drops.fill(0);
    e.nonOwners.fill(0);
    e.adders = 0;
    for (let c = 0; c < pop.size; c++) {
      if (!present(c)) continue;
      stats.continuing++;
      if (rng.next() < (pop.active[c] ? DEACTIVATION : REACTIVATION)) pop.active[c] ^= 1;
      this.refresh(c, t);
      const mask = this.owned[c];
      let added = 0;
      let dropped = 0;
      let none = 1;
      for (const p of ADD_ORDER) {
        const bit = 1 << p;
        const cp = c * P + p;
        if (mask & bit) {
          let z = dropDemo[cp] + dropShift[p];
          for (let m = mask & ~bit; m !== 0; m &= m - 1) z += DROP_OWN[p * P + lowestBit(m)];
          const q = sigmoid(z);
          e.drops[p] += q;
          if (rng.next() < (seasonDrop[p] === 0 ? q : sigmoid(z + seasonDrop[p]))) dropped |= bit;
        } else {
          let z = addDemo[cp] + addShift[p];
          for (let m = mask; m !== 0; m &= m - 1) z += ADD_OWN[p * P + lowestBit(m)];
          const recent = t - dropMonth[cp] <= RECENT_MONTHS;
          if (recent) z += logRecency[p];
          // P(no addition at all) follows the path where nothing was added before p.
          const alone = sigmoid(z);
          none *= 1 - alone;
          for (let m = added; m !== 0; m &= m - 1) z += ADD_ADDED[p * P + lowestBit(m)];
          const q = added === 0 ? alone : sigmoid(z);
          e.nonOwners[p]++;
          if (recent) e.recent[p] += q;
          else e.other[p] += q;
          if (rng.next() < (seasonAdd[p] === 0 ? q : sigmoid(z + seasonAdd[p]))) added |= bit;
        }
      }
      e.adders += 1 - none;
      if (added !== 0) stats.adders++;
      for (let m = added; m !== 0; m &= m - 1) stats.additions[lowestBit(m)]++;
      for (let m = dropped; m !== 0; m &= m - 1) {
        const q = lowestBit(m);
        stats.drops[q]++;
        dropMonth[c * P + q] = t;
      }
      this.owned[c] = (mask & ~dropped) | added;
    }
    if (stats.continuing > 0) this.calibrate(stats.continuing);
    return stats;
  }

  /** Moves the shifts toward the measured rates (seasonal factors are left out of the expectations). */
  private calibrate(clients: number): void {
    const { addShift, dropShift, logRecency } = this;
    const { recent, other, drops, nonOwners } = this.expected;
    // Scale of all addition rates, so that the share of clients adding ≥ 1 product is the measured one.
    this.rateScale *= (PRODUCT_RATES.additions.share / Math.max(this.expected.adders / clients, 1e-9)) ** 0.5;
    this.rateScale = Math.max(0.5, Math.min(2, this.rateScale));
    for (let p = 0; p < P; p++) {
      const expected = recent[p] + other[p];
      const rate = Math.max(PRODUCT_RATES.additions.addRateNonOwners[p], MIN_RATE) * this.rateScale;
      const target = rate * nonOwners[p];
      if (!(target > 0) || !(expected > 0)) continue;
      // Drops follow this month's expected additions, so holdings stay where they are.
      if (drops[p] > 0) dropShift[p] += Math.log(expected / drops[p]);
      const share = PRODUCT_RATES.reAdditionShares[p];
      if (share > 0 && recent[p] > 0 && other[p] > 0) {
        const shift = Math.log(((1 - share) * target) / other[p]);
        const rho = Math.log((share * target) / recent[p]) - shift;
        addShift[p] += shift;
        // Half steps: the pool of recent drops reacts to the factor with a delay.
        logRecency[p] = Math.max(0, Math.min(7, logRecency[p] + rho / 2));
      } else {
        addShift[p] += Math.log(target / expected);
      }
    }
  }
}
