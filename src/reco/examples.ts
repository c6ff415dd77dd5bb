/** Who added what in a month, and which clients can be scored, read off a `History`. */
import type { History } from './history.js';
import { N_PRODUCTS } from './products.js';

/** Clients with a row at month index t − 1 and at t (t a position in `history.months`). */
export function presentAt(history: History, t: number): Int32Array {
  const nM = history.months.length;
  const out: number[] = [];
  if (t < 1 || t >= nM) return new Int32Array(0);
  for (let c = 0; c < history.clients.length; c++) {
    if (history.masks[c * nM + t] >= 0 && history.masks[c * nM + t - 1] >= 0) out.push(c);
  }
  return Int32Array.from(out);
}

/** Mask of products client `c` added at month index t (owned at t, not at t − 1). */
export function addedMask(history: History, c: number, t: number): number {
  const nM = history.months.length;
  const now = history.masks[c * nM + t];
  const before = history.masks[c * nM + t - 1];
  if (now < 0) return 0;
  return before < 0 ? now : now & ~before;
}

/** Mask owned at month index t (0 when absent or out of range). */
export function ownedMask(history: History, c: number, t: number): number {
  const nM = history.months.length;
  if (t < 0 || t >= nM) return 0;
  const m = history.masks[c * nM + t];
  return m < 0 ? 0 : m;
}

export interface AdditionRows {
  /** Client index per row (a client adding n products appears n times). */
  clients: Int32Array;
  /** Month index (position in history.months) of the addition per row. */
  months: Int32Array;
  /** Added product per row. */
  products: Int32Array;
  /** 1/n for a client adding n products that month. */
  weights: Float32Array;
}

/** One row per (client, month, added product) over the target months `ts`. */
export function additionRows(history: History, ts: readonly number[]): AdditionRows {
  const clients: number[] = [];
  const months: number[] = [];
  const products: number[] = [];
  const weights: number[] = [];
  for (const t of ts) {
    for (const c of presentAt(history, t)) {
      const added = addedMask(history, c, t);
      if (!added) continue;
      let n = 0;
      for (let p = 0; p < N_PRODUCTS; p++) if ((added >>> p) & 1) n++;
      for (let p = 0; p < N_PRODUCTS; p++) {
        if (!((added >>> p) & 1)) continue;
        clients.push(c);
        months.push(t);
        products.push(p);
        weights.push(1 / n);
      }
    }
  }
  return {
    clients: Int32Array.from(clients),
    months: Int32Array.from(months),
    products: Int32Array.from(products),
    weights: Float32Array.from(weights),
  };
}
