/**
 * WebAssembly SIMD kernel for k-means assignment passes (AssemblyScript, compiled by
 * `npm run build:wasm` into `src/ml/wasm/kmeans-bytes.ts`). The host lays out every buffer in linear
 * memory and passes the offsets once to `configure`; no allocation happens here.
 *
 * Distances to all centres are computed in float32, four centres per f32x4 lane group, from a
 * transposed float32 copy of the centres (`cols` × `kPad`, kPad a multiple of 8). Float32 error is
 * bounded: `slack` (set by the host) covers the rounding of the centres to float32 and a relative
 * margin covers the arithmetic, so the stored bounds stay conservative; when the two closest
 * centres are within that margin, every distance is recomputed exactly in float64, in the same
 * order as the JavaScript path, so labels match it. Sums and counts stay float64.
 */

const REL: f64 = 1e-5;
const INF4: v128 = f32x4(Infinity, Infinity, Infinity, Infinity);

let X: usize = 0; // f32 rows × cols
let LAB: usize = 0; // i32 rows
let UP: usize = 0; // f64 rows: upper bound on the distance to the own centre
let LO: usize = 0; // f64 rows: lower bound on the distance to any other centre
let CT: usize = 0; // f32 cols × kPad, centres transposed
let C64: usize = 0; // f64 k × cols, centres row-major
let SUMS: usize = 0; // f64 k × cols
let CNT: usize = 0; // f64 k
let HALF: usize = 0; // f64 k: half the distance to the nearest other centre
let DRIFT: usize = 0; // f64 k: how far each centre has moved in total (summed shifts)
let DIST: usize = 0; // f32 kPad scratch
let IDX: usize = 0; // i32 scratch: the rows of one `step` call that need distances (rows per call + 8)
let SINK: f32 = 0;
let N: i32 = 0;
let D: i32 = 0;
let K: i32 = 0;
let KP: i32 = 0;
let SLACK: f64 = 0;

let gArg: i32 = 0;
let gB1: f64 = 0;
let gB2: f64 = 0;

export function heapBase(): usize {
  return __heap_base;
}

export function configure(
  x: usize,
  labels: usize,
  upper: usize,
  lower: usize,
  ct: usize,
  c64: usize,
  sums: usize,
  counts: usize,
  half: usize,
  drift: usize,
  dist: usize,
  idx: usize,
  n: i32,
  d: i32,
  k: i32,
  kPad: i32,
): void {
  X = x;
  LAB = labels;
  UP = upper;
  LO = lower;
  CT = ct;
  C64 = c64;
  SUMS = sums;
  CNT = counts;
  HALF = half;
  DRIFT = drift;
  DIST = dist;
  IDX = idx;
  N = n;
  D = d;
  K = k;
  KP = kPad;
}

/** Largest float64 distance between a centre and its float32 copy (set after each centre move). */
export function setSlack(slack: f64): void {
  SLACK = slack;
}

/** Exact squared distance from row `xo` to centre `c`, summed in column order like the JS path. */
function dist64(xo: usize, c: i32): f64 {
  let s: f64 = 0;
  const co = C64 + <usize>c * <usize>D * 8;
  for (let j = 0; j < D; j++) {
    const t = <f64>load<f32>(xo + ((<usize>j) << 2)) - load<f64>(co + ((<usize>j) << 3));
    s += t * t;
  }
  return s;
}

/** Squared distance from row `xo` to centre `c` in float64, two columns per f64x2 lane pair. */
function dist64v(xo: usize, c: i32): f64 {
  const co = C64 + <usize>c * <usize>D * 8;
  const d4 = D & ~3;
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let j = 0;
  for (; j < d4; j += 4) {
    const xa = f64x2.promote_low_f32x4(v128.load64_zero(xo + ((<usize>j) << 2)));
    const xb = f64x2.promote_low_f32x4(v128.load64_zero(xo + ((<usize>j) << 2), 8));
    const t = f64x2.sub(xa, v128.load(co + ((<usize>j) << 3)));
    const u = f64x2.sub(xb, v128.load(co + ((<usize>j) << 3), 16));
    a = f64x2.add(a, f64x2.mul(t, t));
    b = f64x2.add(b, f64x2.mul(u, u));
  }
  a = f64x2.add(a, b);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < D; j++) {
    const t = <f64>load<f32>(xo + ((<usize>j) << 2)) - load<f64>(co + ((<usize>j) << 3));
    s += t * t;
  }
  return s;
}

/** Nearest centre of row `xo` into gArg, with the distances to it and to the runner-up. */
function nearest(xo: usize): void {
  const kp = KP;
  const rowBytes = (<usize>kp) << 2;
  const d2 = D & ~1;
  let mv = INF4;
  for (let g = 0; g < kp; g += 8) {
    // Four independent accumulators (even and odd columns) shorten the add latency chain.
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let cp = CT + ((<usize>g) << 2);
    let j = 0;
    for (; j < d2; j += 2) {
      const xa = f32x4.splat(load<f32>(xo + ((<usize>j) << 2)));
      const xb = f32x4.splat(load<f32>(xo + ((<usize>j) << 2), 4));
      const t0 = f32x4.sub(v128.load(cp), xa);
      const t1 = f32x4.sub(v128.load(cp, 16), xa);
      const u0 = f32x4.sub(v128.load(cp + rowBytes), xb);
      const u1 = f32x4.sub(v128.load(cp + rowBytes, 16), xb);
      a0 = f32x4.add(a0, f32x4.mul(t0, t0));
      a1 = f32x4.add(a1, f32x4.mul(t1, t1));
      b0 = f32x4.add(b0, f32x4.mul(u0, u0));
      b1 = f32x4.add(b1, f32x4.mul(u1, u1));
      cp += rowBytes << 1;
    }
    if (j < D) {
      const xa = f32x4.splat(load<f32>(xo + ((<usize>j) << 2)));
      const t0 = f32x4.sub(v128.load(cp), xa);
      const t1 = f32x4.sub(v128.load(cp, 16), xa);
      a0 = f32x4.add(a0, f32x4.mul(t0, t0));
      a1 = f32x4.add(a1, f32x4.mul(t1, t1));
    }
    // Padding lanes (index ≥ k) become +∞ so they never win.
    const lane = i32x4.add(i32x4.splat(g), i32x4(0, 1, 2, 3));
    const v0 = v128.bitselect(INF4, f32x4.add(a0, b0), i32x4.ge_s(lane, i32x4.splat(K)));
    const v1 = v128.bitselect(
      INF4,
      f32x4.add(a1, b1),
      i32x4.ge_s(i32x4.add(lane, i32x4.splat(4)), i32x4.splat(K)),
    );
    v128.store(DIST + ((<usize>g) << 2), v0);
    v128.store(DIST + ((<usize>g) << 2), v1, 16);
    mv = f32x4.min(mv, f32x4.min(v0, v1));
  }
  // Horizontal minimum, then the lowest lane holding it, then the minimum of the others: no branches
  // on which centre wins (data-dependent, so they would mispredict).
  mv = f32x4.min(mv, v128.shuffle<f32>(mv, mv, 2, 3, 0, 1));
  mv = f32x4.min(mv, v128.shuffle<f32>(mv, mv, 1, 0, 3, 2));
  const b1 = f32x4.extract_lane(mv, 0);
  let bits: u64 = 0; // lanes equal to the minimum (kPad ≤ 64)
  for (let g = 0; g < kp; g += 4) {
    bits |= (<u64>i32x4.bitmask(f32x4.eq(v128.load(DIST + ((<usize>g) << 2)), mv))) << (<u64>g);
  }
  let arg = <i32>ctz<u64>(bits);
  const av = i32x4.splat(arg);
  let m2 = INF4;
  for (let g = 0; g < kp; g += 4) {
    const lane = i32x4.add(i32x4.splat(g), i32x4(0, 1, 2, 3));
    m2 = f32x4.min(m2, v128.bitselect(INF4, v128.load(DIST + ((<usize>g) << 2)), i32x4.eq(lane, av)));
  }
  m2 = f32x4.min(m2, v128.shuffle<f32>(m2, m2, 2, 3, 0, 1));
  m2 = f32x4.min(m2, v128.shuffle<f32>(m2, m2, 1, 0, 3, 2));
  const b2 = f32x4.extract_lane(m2, 0);
  const r1 = Math.sqrt(<f64>b1);
  const r2 = Math.sqrt(<f64>b2);
  const err = REL * r2 + SLACK;
  // A float32 overflow (b2 infinite, b1 not) still orders correctly: the runner-up is ≥ 1.8e19.
  if (r2 - r1 > 2 * err || (b2 == Infinity && b1 < Infinity)) {
    gArg = arg;
    gB1 = r1 * (1 + REL) + SLACK;
    gB2 = (b2 < Infinity ? r2 : 1e19) * (1 - REL) - SLACK;
    return;
  }
  // Near tie: decide exactly.
  let e1: f64 = Infinity;
  let e2: f64 = Infinity;
  arg = 0;
  for (let c = 0; c < K; c++) {
    const v = dist64(xo, c);
    if (v < e1) {
      e2 = e1;
      e1 = v;
      arg = c;
    } else if (v < e2) e2 = v;
  }
  gArg = arg;
  gB1 = Math.sqrt(e1);
  gB2 = Math.sqrt(e2);
}

/** Adds (`sign` 1) or subtracts (−1) row `xo` to the sums and count of centre `c`. */
function addRow(xo: usize, c: i32, sign: f64): void {
  const so = SUMS + <usize>c * <usize>D * 8;
  const d2 = D & ~1;
  let j = 0;
  if (sign > 0) {
    for (; j < d2; j += 2) {
      const p = so + ((<usize>j) << 3);
      v128.store(
        p,
        f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v128.load64_zero(xo + ((<usize>j) << 2)))),
      );
    }
  } else {
    for (; j < d2; j += 2) {
      const p = so + ((<usize>j) << 3);
      v128.store(
        p,
        f64x2.sub(v128.load(p), f64x2.promote_low_f32x4(v128.load64_zero(xo + ((<usize>j) << 2)))),
      );
    }
  }
  if (j < D) {
    const p = so + ((<usize>j) << 3);
    store<f64>(p, load<f64>(p) + sign * <f64>load<f32>(xo + ((<usize>j) << 2)));
  }
  const cp = CNT + ((<usize>c) << 3);
  store<f64>(cp, load<f64>(cp) + sign);
}

/**
 * First pass: labels, bounds, and sums and counts from zero (the host zeroes them, and the drifts).
 * Bounds are stored relative to the drifts so that a pruned row costs no store: the upper bound of
 * row i is `UP[i] + DRIFT[label]`, its lower bound `LO[i] − total`, `total` being the summed largest
 * shift of every move so far (a conservative bound for every centre).
 */
export function assignFirst(from: i32, to: i32): void {
  const rowBytes = (<usize>D) << 2;
  for (let i = from; i < to; i++) {
    const xo = X + <usize>i * rowBytes;
    nearest(xo);
    store<i32>(LAB + ((<usize>i) << 2), gArg);
    store<f64>(UP + ((<usize>i) << 3), gB1);
    store<f64>(LO + ((<usize>i) << 3), gB2);
    addRow(xo, gArg, 1);
  }
}

/**
 * One assignment pass over rows [from, to) (at most the host's chunk) against moved centres;
 * returns how many labels changed. With `bounds`, Hamerly's test skips a row whose upper bound is
 * within both half the gap from its centre to the nearest other and its lower bound. `total` is the
 * summed largest shift (see `assignFirst`).
 */
export function step(from: i32, to: i32, bounds: i32, total: f64): i32 {
  const rowBytes = (<usize>D) << 2;
  // Rounding slack for the relative bounds (float64 sums of the shifts).
  const eps = 1e-12 * (1 + total);
  // Pass 1, branch-free: the rows the bounds do not settle. Pass 2 then walks only those, loading
  // each row a few candidates ahead so that cache misses overlap instead of queueing.
  let cnt = 0;
  for (let i = from; i < to; i++) {
    store<i32>(IDX + ((<usize>cnt) << 2), i);
    if (bounds) {
      const a = load<i32>(LAB + ((<usize>i) << 2));
      const l = load<f64>(LO + ((<usize>i) << 3)) - total - eps;
      const h = load<f64>(HALF + ((<usize>a) << 3));
      const m = h > l ? h : l;
      cnt += i32(load<f64>(UP + ((<usize>i) << 3)) + load<f64>(DRIFT + ((<usize>a) << 3)) + eps > m);
    } else cnt++;
  }
  for (let p = 0; p < 8; p++) store<i32>(IDX + ((<usize>(cnt + p)) << 2), from);
  let sink: f32 = 0;
  let changed = 0;
  for (let p = 0; p < cnt; p++) {
    const i = load<i32>(IDX + ((<usize>p) << 2));
    sink += load<f32>(X + <usize>load<i32>(IDX + ((<usize>p) << 2), 16) * rowBytes);
    const xo = X + <usize>i * rowBytes;
    const a = load<i32>(LAB + ((<usize>i) << 2));
    if (bounds) {
      const da = load<f64>(DRIFT + ((<usize>a) << 3));
      const l = load<f64>(LO + ((<usize>i) << 3)) - total - eps;
      const h = load<f64>(HALF + ((<usize>a) << 3));
      const m = h > l ? h : l;
      const u = Math.sqrt(dist64v(xo, a));
      if (u <= m) {
        store<f64>(UP + ((<usize>i) << 3), u - da);
        continue;
      }
    }
    nearest(xo);
    store<f64>(UP + ((<usize>i) << 3), gB1 - load<f64>(DRIFT + ((<usize>gArg) << 3)));
    store<f64>(LO + ((<usize>i) << 3), gB2 + total);
    if (gArg != a) {
      changed++;
      store<i32>(LAB + ((<usize>i) << 2), gArg);
      addRow(xo, a, -1);
      addRow(xo, gArg, 1);
    }
  }
  SINK = sink; // keeps the look-ahead loads
  return changed;
}

/** Summed squared distance of rows [from, to) to their labelled centres. */
export function inertia(from: i32, to: i32): f64 {
  const rowBytes = (<usize>D) << 2;
  let s: f64 = 0;
  for (let i = from; i < to; i++) s += dist64v(X + <usize>i * rowBytes, load<i32>(LAB + ((<usize>i) << 2)));
  return s;
}

/** Squared distance of each row in [from, to) to its labelled centre, into `out` (float64 per row). */
export function ownDistances(from: i32, to: i32, out: usize): void {
  const rowBytes = (<usize>D) << 2;
  for (let i = from; i < to; i++) {
    store<f64>(out + ((<usize>i) << 3), dist64v(X + <usize>i * rowBytes, load<i32>(LAB + ((<usize>i) << 2))));
  }
}

/**
 * Column sums and sums of squares of rows [from, to), added into `out` (2 × cols float64): the
 * tolerance's scale. Non-finite input propagates to the sums.
 */
export function columnStats(from: i32, to: i32, out: usize): void {
  const rowBytes = (<usize>D) << 2;
  const d2 = D & ~1;
  for (let i = from; i < to; i++) {
    const xo = X + <usize>i * rowBytes;
    let j = 0;
    for (; j < d2; j += 2) {
      const v = f64x2.promote_low_f32x4(v128.load64_zero(xo + ((<usize>j) << 2)));
      const sp = out + ((<usize>j) << 3);
      const qp = sp + ((<usize>D) << 3);
      v128.store(sp, f64x2.add(v128.load(sp), v));
      v128.store(qp, f64x2.add(v128.load(qp), f64x2.mul(v, v)));
    }
    if (j < D) {
      const v = <f64>load<f32>(xo + ((<usize>j) << 2));
      const sp = out + ((<usize>j) << 3);
      const qp = sp + ((<usize>D) << 3);
      store<f64>(sp, load<f64>(sp) + v);
      store<f64>(qp, load<f64>(qp) + v * v);
    }
  }
}
