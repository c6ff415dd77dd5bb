/**
 * Santander feature matrices for the gradient boosting benchmark, read with DuckDB.
 *
 * `additionsMatrix` (the Kaggle-standard multiclass set-up): one row per (client, month t, product
 * added in t), features = lags 1–5 of the 24 product flags (NaN where the month is not in the file)
 * plus client features from month t−1 and counts of products and changes; label = the product.
 * `adderMatrix` (binary): one row per client at a month, its flags and client features; label =
 * whether the client added any product the next month.
 */
import { closeDuck, openDuck, rows, sqlString } from '../../src/data/duckdb.js';
import { SANTANDER_PRODUCTS } from '../../src/data/santander-schema.js';
import type { Matrix } from '../../src/ml/matrix.js';

const P = SANTANDER_PRODUCTS.length;
const LAGS = 5;
const NUMERIC = [
  'age',
  'antiguedad',
  'renta',
  'ind_actividad_cliente',
  'ind_nuevo',
  'indrel',
  'indrel_1mes',
  'cod_prov',
];
const CATEGORICAL = [
  'segmento',
  'sexo',
  'ind_empleado',
  'canal_entrada',
  'tiprel_1mes',
  'indext',
  'indresi',
  'pais_residencia',
];
const CLIENT = [...NUMERIC, ...CATEGORICAL];

interface Panel {
  n: number;
  client: Int32Array; // client id per row, rows sorted by (client, month)
  month: Int32Array; // year * 12 + month − 1
  flags: Float32Array; // n × P, NaN when missing
  features: Float32Array; // n × CLIENT.length
}

type Row = Record<string, string | number | null>;

/** A CSV text cell as a number: NaN when empty or not numeric. */
function num(v: string | number | null): number {
  if (v === null) return NaN;
  const t = String(v).trim();
  return t === '' || t === 'NA' ? NaN : Number(t);
}

async function loadPanel(file: string): Promise<Panel> {
  const duck = await openDuck({ threads: 1 });
  try {
    const cols = [...CLIENT, ...SANTANDER_PRODUCTS].map((c) => `"${c}"`).join(', ');
    const data = await rows<Row>(
      duck.conn,
      `SELECT trim(ncodpers)::INTEGER AS client, d.year * 12 + d.month - 1 AS month, ${cols}
       FROM (SELECT *, date_part(['year', 'month'], trim(fecha_dato)::DATE) AS d
             FROM read_csv(${sqlString(file)}, all_varchar = true))
       ORDER BY client, month`,
    );
    const n = data.length;
    const panel: Panel = {
      n,
      client: new Int32Array(n),
      month: new Int32Array(n),
      flags: new Float32Array(n * P),
      features: new Float32Array(n * CLIENT.length),
    };
    const codes = CATEGORICAL.map(() => new Map<string, number>());
    data.forEach((r, i) => {
      panel.client[i] = Number(r.client);
      panel.month[i] = Number(r.month);
      SANTANDER_PRODUCTS.forEach((p, j) => (panel.flags[i * P + j] = num(r[p])));
      NUMERIC.forEach((c, j) => (panel.features[i * CLIENT.length + j] = num(r[c])));
      CATEGORICAL.forEach((c, j) => {
        const v = r[c];
        let code = NaN;
        if (v !== null && String(v).trim() !== '') {
          const key = String(v).trim();
          code = codes[j].get(key) ?? codes[j].size;
          codes[j].set(key, code);
        }
        panel.features[i * CLIENT.length + NUMERIC.length + j] = code;
      });
    });
    return panel;
  } finally {
    closeDuck(duck);
  }
}

/** Row index of client's month `m` at or before row `i` of the same client, or −1. */
function rowAt(p: Panel, i: number, m: number): number {
  for (let j = i; j >= 0 && p.client[j] === p.client[i] && p.month[j] >= m; j--)
    if (p.month[j] === m) return j;
  return -1;
}

export interface Split {
  train: { X: Matrix; y: Float32Array };
  valid: { X: Matrix; y: Float32Array };
  featureNames: string[];
  classNames: string[];
}

const monthIndex = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;

export async function additionsMatrix(
  file: string,
  trainMonths: string[],
  validMonth: string,
): Promise<Split> {
  const p = await loadPanel(file);
  const names = [
    ...Array.from({ length: LAGS }, (_, k) => SANTANDER_PRODUCTS.map((q) => `${q}_lag${k + 1}`)).flat(),
    ...CLIENT,
    'products_lag1',
    'adds_lags',
    'drops_lags',
  ];
  const width = names.length;
  const build = (months: number[]) => {
    const out: number[] = [];
    const y: number[] = [];
    const row = new Float32Array(width);
    for (let i = 0; i < p.n; i++) {
      if (!months.includes(p.month[i])) continue;
      const prev = rowAt(p, i, p.month[i] - 1);
      if (prev < 0) continue;
      row.fill(NaN);
      const lagRows = Array.from({ length: LAGS }, (_, k) => rowAt(p, i, p.month[i] - 1 - k));
      lagRows.forEach((r, k) => {
        if (r >= 0) for (let q = 0; q < P; q++) row[k * P + q] = p.flags[r * P + q];
      });
      const c = LAGS * P;
      for (let j = 0; j < CLIENT.length; j++) row[c + j] = p.features[prev * CLIENT.length + j];
      let owned = 0;
      let adds = 0;
      let drops = 0;
      for (let q = 0; q < P; q++) {
        owned += p.flags[prev * P + q] || 0;
        for (let k = 0; k + 1 < LAGS; k++) {
          const a = row[k * P + q];
          const b = row[(k + 1) * P + q];
          if (a === 1 && b === 0) adds++;
          if (a === 0 && b === 1) drops++;
        }
      }
      row[c + CLIENT.length] = owned;
      row[c + CLIENT.length + 1] = adds;
      row[c + CLIENT.length + 2] = drops;
      for (let q = 0; q < P; q++) {
        if (p.flags[i * P + q] === 1 && p.flags[prev * P + q] !== 1) {
          for (let j = 0; j < width; j++) out.push(row[j]);
          y.push(q);
        }
      }
    }
    return { X: { data: Float32Array.from(out), rows: y.length, cols: width }, y: Float32Array.from(y) };
  };
  const train = build(trainMonths.map(monthIndex));
  const valid = build([monthIndex(validMonth)]);
  // Classes: the products added in training, renumbered 0..K−1; validation rows of other products dropped.
  const present = [...new Set(train.y)].sort((a, b) => a - b);
  const remap = new Map(present.map((q, k) => [q, k]));
  train.y = train.y.map((q) => remap.get(q)!);
  const keep = Array.from(valid.y.keys()).filter((i) => remap.has(valid.y[i]));
  const vx = new Float32Array(keep.length * width);
  keep.forEach((i, r) => vx.set(valid.X.data.subarray(i * width, (i + 1) * width), r * width));
  return {
    train,
    valid: {
      X: { data: vx, rows: keep.length, cols: width },
      y: Float32Array.from(keep, (i) => remap.get(valid.y[i])!),
    },
    featureNames: names,
    classNames: present.map((q) => SANTANDER_PRODUCTS[q]),
  };
}

/** Binary: clients at `month` (flags + client features) → added any product at month + 1; split by client. */
export async function adderMatrix(file: string, month: string, validFraction: number): Promise<Split> {
  const p = await loadPanel(file);
  const m = monthIndex(month);
  const names = [...SANTANDER_PRODUCTS, ...CLIENT, 'products'];
  const width = names.length;
  const parts = [
    { out: [] as number[], y: [] as number[] },
    { out: [] as number[], y: [] as number[] },
  ];
  for (let i = 0; i < p.n; i++) {
    if (p.month[i] !== m) continue;
    const next = i + 1 < p.n && p.client[i + 1] === p.client[i] && p.month[i + 1] === m + 1 ? i + 1 : -1;
    let added = 0;
    let owned = 0;
    for (let q = 0; q < P; q++) {
      owned += p.flags[i * P + q] || 0;
      if (next >= 0 && p.flags[next * P + q] === 1 && p.flags[i * P + q] !== 1) added = 1;
    }
    // Deterministic client hash for the split.
    const h = (Math.imul(p.client[i], 0x9e3779b1) >>> 0) / 4294967296;
    const part = parts[h < validFraction ? 1 : 0];
    for (let q = 0; q < P; q++) part.out.push(p.flags[i * P + q]);
    for (let j = 0; j < CLIENT.length; j++) part.out.push(p.features[i * CLIENT.length + j]);
    part.out.push(owned);
    part.y.push(added);
  }
  const mk = (t: { out: number[]; y: number[] }) => ({
    X: { data: Float32Array.from(t.out), rows: t.y.length, cols: width },
    y: Float32Array.from(t.y),
  });
  return { train: mk(parts[0]), valid: mk(parts[1]), featureNames: names, classNames: ['no', 'yes'] };
}
