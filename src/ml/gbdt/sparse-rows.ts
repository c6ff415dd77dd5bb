/**
 * The row-wise index that histograms are built from: for every row, the histogram slots of its
 * (feature, bin) pairs *except* each feature's most frequent bin (CSR layout). That bin's sums are
 * recovered as node total − the other bins (LightGBM's most-frequent-bin trick), so a row costs
 * only its "unusual" values: for ownership flags, mostly zeros, that is a few entries out of many.
 * Row-wise also keeps consecutive updates on different histogram cells, which avoids the
 * store-to-load chains a column-wise loop suffers on features with few bins.
 */

export interface SparseRows {
  /** Row r's entries are `slots[rowPtr[r] .. rowPtr[r + 1])`. */
  readonly rowPtr: Uint32Array;
  /** Histogram slot `binStart[f] + bin` of each stored entry (Uint16 when every slot fits). */
  readonly slots: Uint16Array | Uint32Array;
  /** Most frequent bin's slot per feature (`binStart[f] + bin`). */
  readonly mostFrequent: Int32Array;
}

/** Builds the index from column-major bins (`bins[f * n + r]`). */
export function buildSparseRows(bins: Uint8Array, n: number, binStart: Int32Array): SparseRows {
  const cols = binStart.length - 1;
  const mostFrequent = new Int32Array(cols);
  const counts = new Uint32Array(256);
  const rowPtr = new Uint32Array(n + 1);
  for (let f = 0; f < cols; f++) {
    counts.fill(0);
    const base = f * n;
    for (let r = 0; r < n; r++) counts[bins[base + r]]++;
    let best = 0;
    for (let b = 1; b < 256; b++) if (counts[b] > counts[best]) best = b;
    mostFrequent[f] = binStart[f] + best;
    for (let r = 0; r < n; r++) if (bins[base + r] !== best) rowPtr[r + 1]++;
  }
  for (let r = 0; r < n; r++) rowPtr[r + 1] += rowPtr[r];
  const total = binStart[cols];
  const slots = total <= 65536 ? new Uint16Array(rowPtr[n]) : new Uint32Array(rowPtr[n]);
  const fill = rowPtr.slice(0, n);
  for (let f = 0; f < cols; f++) {
    const base = f * n;
    const skip = mostFrequent[f] - binStart[f];
    const start = binStart[f];
    for (let r = 0; r < n; r++) {
      const b = bins[base + r];
      if (b !== skip) slots[fill[r]++] = start + b;
    }
  }
  return { rowPtr, slots, mostFrequent };
}
