/**
 * k-means passes on the WebAssembly SIMD kernel (`assembly/kmeans.ts`, embedded as base64 in
 * `wasm/kmeans-bytes.ts`): plain Lloyd or Lloyd with Hamerly's bounds, the same iterations and
 * stopping rules as `lloyd` in `kmeans-lloyd.ts`, and the same labels (near ties are decided in
 * float64 exactly as there). The rows are copied once into the kernel's memory per fit and reused
 * by every restart; centres, sums and counts stay float64 and are moved here.
 */
import type { Matrix } from './matrix.js';
import { moveCentres, relocateEmpty, type LloydResult, type LloydRun } from './kmeans-lloyd.js';
import { KMEANS_WASM_BASE64 } from './wasm/kmeans-bytes.js';

/** The slice of Node's WebAssembly global used here (the project's `lib` has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  configure(...args: number[]): void;
  setSlack(slack: number): void;
  assignFirst(from: number, to: number): void;
  step(from: number, to: number, bounds: number, total: number): number;
  inertia(from: number, to: number): number;
  columnStats(from: number, to: number, out: number): void;
  ownDistances(from: number, to: number, out: number): void;
}

/**
 * Rows per kernel call: V8 runs a wasm function's first calls on its baseline compiler and swaps in
 * optimised code only for later calls, so one long call would stay on the slow code.
 */
const CHUNK = 16384;

/** Linear memory the kernel may use (wasm32 addresses; V8 allows up to 4 GiB). */
const MAX_BYTES = 2 ** 31;
const PAGE = 65536;
/** The kernel finds the nearest centre with a 64-bit lane mask. */
const MAX_K = 64;

let compiled: object | null | undefined;

/** The compiled kernel, or null where WebAssembly SIMD is unavailable. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new Wasm.Module(Buffer.from(KMEANS_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const align = (n: number) => Math.ceil(n / 16) * 16;

export class KMeansKernel {
  private constructor(
    private readonly X: Matrix,
    private readonly statsAt: number,
    private readonly ownAt: number,
    private readonly k: number,
    private readonly kPad: number,
    private readonly ex: KernelExports,
    private readonly labels: Int32Array,
    private readonly upper: Float64Array,
    private readonly lower: Float64Array,
    private readonly ct: Float32Array,
    private readonly centres: Float64Array,
    private readonly sums: Float64Array,
    private readonly counts: Float64Array,
    private readonly half: Float64Array,
    private readonly drift: Float64Array,
  ) {}

  /** A kernel holding a copy of `X` for `k` centres, or null when the shape or runtime is not covered. */
  static create(X: Matrix, k: number): KMeansKernel | null {
    const mod = kernelModule();
    const n = X.rows;
    const d = X.cols;
    if (!mod || d < 1 || k < 1 || k > MAX_K || n < 1) return null;
    const kPad = Math.ceil(k / 8) * 8;
    // Bytes of each buffer in the kernel's linear memory, laid out in this order, 16-byte aligned.
    const sizes = {
      x: n * d * 4,
      labels: n * 4,
      upper: n * 8,
      lower: n * 8,
      ct: d * kPad * 4,
      centres: k * d * 8,
      sums: k * d * 8,
      counts: k * 8,
      half: k * 8,
      drift: k * 8,
      dist: kPad * 4,
      stats: 2 * d * 8,
      idx: (CHUNK + 8) * 4,
      own: n * 8, // each row's squared distance to its centre, when a cluster empties
    };
    const ex = new Wasm.Instance(mod).exports as KernelExports;
    const o = { ...sizes };
    let end = align(ex.heapBase());
    for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
      o[key] = end;
      end = align(end + sizes[key]);
    }
    if (end > MAX_BYTES) return null;
    const have = ex.memory.buffer.byteLength;
    try {
      if (end > have) ex.memory.grow(Math.ceil((end - have) / PAGE));
    } catch {
      return null; // the process cannot reserve that much: the JavaScript path works in place
    }
    const buf = ex.memory.buffer;
    new Float32Array(buf, o.x, n * d).set(X.data);
    ex.configure(
      o.x,
      o.labels,
      o.upper,
      o.lower,
      o.ct,
      o.centres,
      o.sums,
      o.counts,
      o.half,
      o.drift,
      o.dist,
      o.idx,
      n,
      d,
      k,
      kPad,
    );
    return new KMeansKernel(
      X,
      o.stats,
      o.own,
      k,
      kPad,
      ex,
      new Int32Array(buf, o.labels, n),
      new Float64Array(buf, o.upper, n),
      new Float64Array(buf, o.lower, n),
      new Float32Array(buf, o.ct, d * kPad),
      new Float64Array(buf, o.centres, k * d),
      new Float64Array(buf, o.sums, k * d),
      new Float64Array(buf, o.counts, k),
      new Float64Array(buf, o.half, k),
      new Float64Array(buf, o.drift, k),
    );
  }

  /** One k-means run from `init` (k × cols); `run.bounds` selects Hamerly's pruning. */
  run(init: Float64Array, run: LloydRun): LloydResult {
    const { X, k, ex, labels, upper, lower, centres, sums, counts, drift } = this;
    const shift = new Float64Array(k);
    const d = X.cols;
    centres.set(init);
    this.upload();
    sums.fill(0);
    counts.fill(0);
    drift.fill(0);
    let total = 0; // summed largest shift: the kernel keeps lower bounds relative to it
    const n = X.rows;
    for (let i = 0; i < n; i += CHUNK) ex.assignFirst(i, Math.min(n, i + CHUNK));
    let nIter = 0;
    let converged = false;
    for (let iter = 0; iter < run.maxIter; iter++) {
      nIter = iter + 1;
      for (const i of relocateEmpty(X, centres, labels, sums, counts, this.ownDistances)) {
        upper[i] = Infinity;
        lower[i] = -Infinity;
      }
      moveCentres(centres, sums, counts, d, shift);
      let shiftTot = 0;
      let maxShift = 0;
      for (let c = 0; c < k; c++) {
        shiftTot += shift[c] * shift[c];
        drift[c] += shift[c];
        if (shift[c] > maxShift) maxShift = shift[c];
      }
      total += maxShift;
      this.upload();
      let changed = 0;
      for (let i = 0; i < n; i += CHUNK)
        changed += ex.step(i, Math.min(n, i + CHUNK), run.bounds ? 1 : 0, total);
      if (shiftTot <= run.tolScaled) {
        converged = true; // the step gave labels for the final centres, as scikit-learn does
        break;
      }
      run.onIteration?.(nIter, changed);
      if (changed === 0) {
        converged = true;
        break;
      }
    }
    let inertia = 0;
    for (let i = 0; i < n; i += CHUNK) inertia += ex.inertia(i, Math.min(n, i + CHUNK));
    return {
      centres: centres.slice(),
      labels: labels.slice(), // a copy out of the kernel memory (slice copies; from() iterates)
      inertia,
      nIter,
      converged,
    };
  }

  private readonly ownDistances = (): Float64Array => {
    const n = this.X.rows;
    for (let i = 0; i < n; i += CHUNK) this.ex.ownDistances(i, Math.min(n, i + CHUNK), this.ownAt);
    return new Float64Array(this.ex.memory.buffer, this.ownAt, n);
  };

  /** Mean over columns of the column variance, as `meanVariance` in kmeans.ts computes it. */
  meanVariance(): number {
    const { X, ex } = this;
    const n = X.rows;
    const d = X.cols;
    const stats = new Float64Array(ex.memory.buffer, this.statsAt, 2 * d);
    stats.fill(0);
    for (let i = 0; i < n; i += CHUNK) ex.columnStats(i, Math.min(n, i + CHUNK), this.statsAt);
    let tot = 0;
    for (let j = 0; j < d; j++) {
      const m = stats[j] / n;
      const v = stats[d + j] / n - m * m;
      tot += v > 0 || !Number.isFinite(v) ? v : 0; // NaN/Infinity propagate: they flag bad input
    }
    return tot / d;
  }

  /**
   * Centres to the kernel: the float32 transposed copy, the largest distance between a centre and
   * its float32 copy (the kernel's error slack), and half the gap to each centre's nearest other.
   */
  private upload(): void {
    const { k, kPad, ct, centres, half, ex } = this;
    const d = this.X.cols;
    let slack = 0;
    for (let c = 0; c < k; c++) {
      let e = 0;
      for (let j = 0; j < d; j++) {
        const v = centres[c * d + j];
        const f = Math.fround(v);
        ct[j * kPad + c] = f;
        e += (v - f) * (v - f);
      }
      if (e > slack) slack = e;
      let m = Infinity;
      for (let b = 0; b < k; b++) {
        if (b === c) continue;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = centres[c * d + j] - centres[b * d + j];
          s += t * t;
        }
        if (s < m) m = s;
      }
      half[c] = Math.sqrt(m) / 2;
    }
    ex.setSlack(Math.sqrt(slack));
  }
}
