/**
 * The client-column tables the generator samples from, measured on one month of real records
 * (the March 2016 ~10% client sample): histograms and conditional counts, plain data.
 */
import { AGE_BANDS, SEGMENTS, TENURE_BANDS, ageBand, segmentIndex, tenureBand } from './features.js';
import { col, quantile, type SantanderRecord } from './measure.js';

/** Channels with fewer rows than this are left out of the channel tables. */
const MIN_CANAL_ROWS = 30;

export interface Province {
  code: number;
  name: string;
  rows: number;
  rentaMissing: number;
  /** Median of ln(renta) in the province (null when all missing). */
  rentaLogMedian: number | null;
}

export interface ClientTables {
  rows: number;
  /** Rows by age 0..max. */
  ageCounts: number[];
  /** Rows by age of clients with tenure ≤ 6 months (new clients). */
  newAgeCounts: number[];
  /** Rows by antiguedad (months) 0..max. */
  tenureCounts: number[];
  /** [age band][tenure years] rows of clients registered ≥ 14 months before (present in 2015-01). */
  establishedTenureByAge: number[][];
  /** Share of rows with antiguedad 6 and ind_nuevo 1 (ind_nuevo is 1 below 6, 0 above). */
  nuevoAtSix: number;
  /** [age band][segment index] row counts (segment index 3 = missing). */
  segmentByAge: number[][];
  /** [segment][age band] share active. */
  activeBySegmentAge: number[][];
  /** [segment] share with sexo V. */
  maleBySegment: number[];
  /** Channels with their row counts by tenure band × segment (`counts[tenureBand * 4 + segment]`). */
  canals: { code: string; counts: number[] }[];
  /** Missing segment: share also missing canal; of those, share also missing indrel_1mes/tiprel. */
  segmentMissingCanal: number;
  canalMissingIndrel: number;
  provinces: Province[];
  /** Per segment: mean of ln(renta) − province median, and missing share / overall missing share. */
  rentaSegmentShift: number[];
  rentaSegmentMissingRatio: number[];
  /** Sd of ln(renta) around province median + segment shift. */
  rentaResidualSd: number;
  /** Non-ES countries of residence, with row counts; `foreignCount` of `rows` are foreign. */
  countries: [string, number][];
  foreignCount: number;
  indextResident: number;
  indextForeign: number;
  foreignIndresiN: number;
  employee: [string, number][];
  conyuempN: number;
  indfallS: number;
  indrel99: number;
  /** P(tiprel A | active), P(tiprel A | inactive) among rows with indrel_1mes 1. */
  tiprelActive: number;
  tiprelInactive: number;
  /** indrel_1mes codes (without `.0`) with counts, and the share written as `x.0` among numeric codes. */
  indrelMesCodes: [string, number][];
  indrelMesDecimal: number;
}

const fieldOf = (r: SantanderRecord, name: string) => r.fields[col(name)];

function counts(values: Iterable<number>): number[] {
  const out: number[] = [];
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0) continue;
    while (out.length <= v) out.push(0);
    out[v]++;
  }
  return out;
}

function rentaTables(rs: readonly SantanderRecord[]) {
  const byProv = new Map<string, SantanderRecord[]>();
  for (const r of rs) {
    const key = fieldOf(r, 'cod_prov');
    if (key === '') continue;
    const list = byProv.get(key) ?? [];
    list.push(r);
    byProv.set(key, list);
  }
  const provinces: Province[] = [...byProv.entries()].map(([code, list]) => {
    const logs = list.filter((r) => r.renta > 0).map((r) => Math.log(r.renta));
    return {
      code: Number(code),
      name: fieldOf(list[0], 'nomprov'),
      rows: list.length,
      rentaMissing: 1 - logs.length / list.length,
      rentaLogMedian: logs.length > 0 ? quantile(logs, 0.5) : null,
    };
  });
  provinces.sort((a, b) => a.code - b.code);
  const median = new Map(provinces.map((p) => [p.code, p.rentaLogMedian]));
  const shift = [0, 0, 0, 0];
  const n = [0, 0, 0, 0];
  const miss = [0, 0, 0, 0];
  const all = [0, 0, 0, 0];
  const residuals: { s: number; d: number }[] = [];
  for (const r of rs) {
    const s = segmentIndex(fieldOf(r, 'segmento'));
    all[s]++;
    if (!(r.renta > 0)) miss[s]++;
    const m = median.get(Number(fieldOf(r, 'cod_prov')));
    if (!(r.renta > 0) || m === undefined || m === null) continue;
    const d = Math.log(r.renta) - m;
    shift[s] += d;
    n[s]++;
    residuals.push({ s, d });
  }
  const rentaSegmentShift = shift.map((x, s) => (n[s] ? x / n[s] : 0));
  const overallMissing = miss.reduce((a, b) => a + b, 0) / rs.length;
  const ss = residuals.reduce((a, { s, d }) => a + (d - rentaSegmentShift[s]) ** 2, 0);
  return {
    provinces,
    rentaSegmentShift,
    rentaSegmentMissingRatio: miss.map((m, s) => (all[s] ? m / all[s] / overallMissing : 1)),
    rentaResidualSd: Math.sqrt(ss / Math.max(residuals.length - 1, 1)),
  };
}

function tally<T extends string>(values: Iterable<T>): [T, number][] {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function measureClientTables(records: readonly SantanderRecord[]): ClientTables {
  const rs = records.filter((r) => !Number.isNaN(r.age));
  const seg = (r: SantanderRecord) => segmentIndex(fieldOf(r, 'segmento'));
  const segmentByAge = AGE_BANDS.map(() => SEGMENTS.map(() => 0));
  const activeN = SEGMENTS.map(() => AGE_BANDS.map(() => 0));
  const active = SEGMENTS.map(() => AGE_BANDS.map(() => 0));
  const male = [0, 0, 0, 0];
  const segN = [0, 0, 0, 0];
  for (const r of rs) {
    const s = seg(r);
    const b = ageBand(r.age);
    segmentByAge[b][s]++;
    activeN[s][b]++;
    if (fieldOf(r, 'ind_actividad_cliente') === '1') active[s][b]++;
    segN[s]++;
    if (fieldOf(r, 'sexo') === 'V') male[s]++;
  }
  const canalTally = tally(rs.map((r) => fieldOf(r, 'canal_entrada')).filter((c) => c !== ''));
  const canals = canalTally
    .filter(([, n]) => n >= MIN_CANAL_ROWS)
    .map(([code]) => ({ code, counts: new Array<number>(TENURE_BANDS.length * SEGMENTS.length).fill(0) }));
  const canalIndex = new Map(canals.map((c, i) => [c.code, i]));
  for (const r of rs) {
    const i = canalIndex.get(fieldOf(r, 'canal_entrada'));
    if (i !== undefined) canals[i].counts[tenureBand(r.antiguedad) * SEGMENTS.length + seg(r)]++;
  }
  const segMissing = rs.filter((r) => seg(r) === 3);
  const canalMissing = segMissing.filter((r) => fieldOf(r, 'canal_entrada') === '');
  const foreign = rs.filter((r) => fieldOf(r, 'pais_residencia') !== 'ES');
  const resident = rs.filter((r) => fieldOf(r, 'pais_residencia') === 'ES');
  const mes = rs.map((r) => fieldOf(r, 'indrel_1mes')).filter((v) => v !== '');
  const plain = rs.filter((r) => fieldOf(r, 'indrel_1mes').startsWith('1'));
  const isActive = (r: SantanderRecord) => fieldOf(r, 'ind_actividad_cliente') === '1';
  const tiprelA = (list: SantanderRecord[]) =>
    list.filter((r) => fieldOf(r, 'tiprel_1mes') === 'A').length / Math.max(list.length, 1);
  const atSix = rs.filter((r) => r.antiguedad === 6);
  return {
    rows: rs.length,
    ageCounts: counts(rs.map((r) => r.age)),
    newAgeCounts: counts(rs.filter((r) => r.antiguedad <= 6).map((r) => r.age)),
    tenureCounts: counts(rs.map((r) => r.antiguedad)),
    establishedTenureByAge: AGE_BANDS.map((_, b) =>
      counts(
        rs
          .filter((r) => r.antiguedad >= 14 && ageBand(r.age) === b)
          .map((r) => Math.floor(r.antiguedad / 12)),
      ),
    ),
    nuevoAtSix: atSix.filter((r) => fieldOf(r, 'ind_nuevo') === '1').length / Math.max(atSix.length, 1),
    segmentByAge,
    activeBySegmentAge: active.map((row, s) => row.map((a, b) => (activeN[s][b] ? a / activeN[s][b] : 0))),
    maleBySegment: male.map((m, s) => (segN[s] ? m / segN[s] : 0.5)),
    canals,
    segmentMissingCanal: canalMissing.length / Math.max(segMissing.length, 1),
    canalMissingIndrel:
      canalMissing.filter((r) => fieldOf(r, 'indrel_1mes') === '').length / Math.max(canalMissing.length, 1),
    ...rentaTables(rs),
    countries: tally(foreign.map((r) => fieldOf(r, 'pais_residencia'))),
    foreignCount: foreign.length,
    indextResident: resident.filter((r) => fieldOf(r, 'indext') === 'S').length / resident.length,
    indextForeign: foreign.filter((r) => fieldOf(r, 'indext') === 'S').length / Math.max(foreign.length, 1),
    foreignIndresiN:
      foreign.filter((r) => fieldOf(r, 'indresi') === 'N').length / Math.max(foreign.length, 1),
    employee: tally(rs.map((r) => fieldOf(r, 'ind_empleado'))),
    conyuempN: rs.filter((r) => fieldOf(r, 'conyuemp') === 'N').length / rs.length,
    indfallS: rs.filter((r) => fieldOf(r, 'indfall') === 'S').length / rs.length,
    indrel99: rs.filter((r) => fieldOf(r, 'indrel') === '99').length / rs.length,
    tiprelActive: tiprelA(plain.filter(isActive)),
    tiprelInactive: tiprelA(plain.filter((r) => !isActive(r))),
    indrelMesCodes: tally(mes.map((v) => v.replace(/\.0$/, ''))),
    indrelMesDecimal:
      mes.filter((v) => v.endsWith('.0')).length / Math.max(mes.filter((v) => v !== 'P').length, 1),
  };
}
