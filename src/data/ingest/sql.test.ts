import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANTANDER_PRODUCTS, SANTANDER_TEST_HEADER, SANTANDER_TRAIN_HEADER } from '../santander-schema.js';
import { HEAD_FILE, tempDir } from './fixtures.test-util.js';
import { FIX_RULES, type FixRuleName } from './rules.js';
import { isValidDateField, isValidIdField } from './scan.js';
import { cleanQuerySql, outputColumnNames, readCsvSql, type Layout } from './sql.js';

type Row = Record<string, unknown>;
type Fields = Record<string, string>;

/** A clean row as the real file writes it (padded numbers, empty ult_fec_cli_1t and conyuemp). */
// prettier-ignore
const BASE: Fields = {
  ...Object.fromEntries(SANTANDER_PRODUCTS.map((p) => [p, '0'])),
  ind_cco_fin_ult1: '1',
  fecha_dato: '2015-01-28', ncodpers: '1375586', ind_empleado: 'N', pais_residencia: 'ES', sexo: 'H',
  age: ' 35', fecha_alta: '2015-01-12', ind_nuevo: ' 0', antiguedad: '      6', indrel: ' 1',
  ult_fec_cli_1t: '', indrel_1mes: '1', tiprel_1mes: 'A', indresi: 'S', indext: 'N', conyuemp: '',
  canal_entrada: 'KHL', indfall: 'N', tipodom: ' 1', cod_prov: '29', nomprov: 'MALAGA',
  ind_actividad_cliente: ' 1', renta: '87218.1', segmento: '02 - PARTICULARES',
};

// prettier-ignore
const BASE_OUT: Row = {
  ...Object.fromEntries(SANTANDER_PRODUCTS.map((p) => [p, 0])),
  ind_cco_fin_ult1: 1,
  fecha_dato: '2015-01-28', ncodpers: 1375586, ind_empleado: 'N', pais_residencia: 'ES', sexo: 'H',
  age: 35, fecha_alta: '2015-01-12', ind_nuevo: 0, antiguedad: 6, indrel: 1, ult_fec_cli_1t: null,
  indrel_1mes: '1', tiprel_1mes: 'A', indresi: 'S', indext: 'N', conyuemp: null, canal_entrada: 'KHL',
  indfall: 'N', cod_prov: 29, nomprov: 'MALAGA', ind_actividad_cliente: 1, renta: 87218.1,
  segmento: 'PARTICULARES', dq_flags: 128,
};

// prettier-ignore
const NA_FIELDS = ['age', 'antiguedad', 'ind_nuevo', 'indrel', 'cod_prov', 'nomprov', 'ind_actividad_cliente',
  'renta', 'ind_empleado', 'sexo', 'tiprel_1mes', 'indrel_1mes', 'segmento', 'canal_entrada', 'fecha_alta',
  'ult_fec_cli_1t', 'indresi', 'indext', 'conyuemp', 'indfall', 'ind_ahor_fin_ult1'];
const all = (v: string) => Object.fromEntries(NA_FIELDS.map((c) => [c, v]));
const NULLS: Row = {
  ...Object.fromEntries(NA_FIELDS.map((c) => [c, null])),
  nomprov: 'UNKNOWN',
  tiprel_1mes: null,
};

/** [what, raw fields over BASE, expected output columns, rules set]. */
// prettier-ignore
const CASES: [string, Fields, Row, FixRuleName[]][] = [
  ['clean row', {}, BASE_OUT, ['segmento_prefix_stripped']],
  ['padded numbers', { age: '  40 ', antiguedad: ' 12 ', indrel: '99', cod_prov: ' 8', nomprov: 'BARCELONA', renta: ' 123.5 ', ind_nuevo: '1', ind_nomina_ult1: ' 1' },
    { age: 40, antiguedad: 12, indrel: 99, cod_prov: 8, nomprov: 'BARCELONA', renta: 123.5, ind_nuevo: 1, ind_nomina_ult1: 1 }, ['segmento_prefix_stripped']],
  ['NA everywhere', { ...all('NA'), pais_residencia: 'NA' }, { ...NULLS, pais_residencia: 'NA' }, ['province_missing', 'renta_missing', 'product_flag_missing']],
  ['padded NA', { ...all(' NA'), antiguedad: '     NA', renta: '         NA', cod_prov: ' NA ', ind_ahor_fin_ult1: '0' },
    { ...NULLS, ind_ahor_fin_ult1: 0 }, ['province_missing', 'renta_missing']],
  ['empty fields', { ...all(''), pais_residencia: '' }, { ...NULLS, pais_residencia: null }, ['province_missing', 'renta_missing', 'product_flag_missing']],
  ['indrel_1mes 1.0', { indrel_1mes: '1.0' }, { indrel_1mes: '1' }, ['indrel_1mes_unified', 'segmento_prefix_stripped']],
  ['P, unknown ind_empleado, no tiprel and inactive', { indrel_1mes: 'P', ind_empleado: 'X', tiprel_1mes: '', ind_actividad_cliente: ' 0' },
    { indrel_1mes: 'P', ind_empleado: null, tiprel_1mes: 'I', ind_actividad_cliente: 0 }, ['ind_empleado_unknown', 'tiprel_1mes_filled', 'segmento_prefix_stripped']],
  ['no tiprel and active', { tiprel_1mes: '' }, { tiprel_1mes: 'A' }, ['tiprel_1mes_filled', 'segmento_prefix_stripped']],
  ['indrel_1mes 5, padded code, no tiprel nor activity', { indrel_1mes: '5', ind_empleado: ' A ', tiprel_1mes: '', ind_actividad_cliente: 'NA' },
    { indrel_1mes: null, ind_empleado: 'A', tiprel_1mes: null, ind_actividad_cliente: null }, ['indrel_1mes_unknown', 'segmento_prefix_stripped']],
  ['padded 2.0, lower-case code, 01 - TOP', { indrel_1mes: ' 2.0 ', ind_empleado: 'n', tiprel_1mes: ' R ', segmento: '01 - TOP' },
    { indrel_1mes: '2', ind_empleado: null, tiprel_1mes: 'R', segmento: 'TOP' }, ['indrel_1mes_unified', 'ind_empleado_unknown', 'segmento_prefix_stripped']],
  ['no nomprov, known cod_prov', { indrel_1mes: '4', segmento: 'PARTICULARES', nomprov: '', cod_prov: '28' },
    { indrel_1mes: '4', segmento: 'PARTICULARES', nomprov: 'MADRID', cod_prov: 28 }, ['province_missing']],
  ['no nomprov, cod_prov out of range', { segmento: ' 03 - UNIVERSITARIO ', nomprov: '', cod_prov: '99' },
    { segmento: 'UNIVERSITARIO', nomprov: 'UNKNOWN', cod_prov: null }, ['segmento_prefix_stripped', 'province_missing', 'code_unknown']],
  ['segment with a non-numeric prefix', { segmento: 'ab - X', nomprov: ' MADRID ', cod_prov: '28' }, { segmento: 'ab - X', nomprov: 'MADRID' }, []],
  ['nomprov kept over cod_prov', { segmento: '7 - X', nomprov: 'MADRID', cod_prov: ' 8' }, { segmento: '7 - X', nomprov: 'MADRID', cod_prov: 8 }, []],
  ['non-ASCII province, padded canal', { nomprov: 'CORUÑA, A', cod_prov: '15', canal_entrada: ' KHE ' },
    { nomprov: 'CORUÑA, A', cod_prov: 15, canal_entrada: 'KHE' }, ['segmento_prefix_stripped']],
  ['negative cod_prov, non-ASCII canal', { nomprov: 'BALEARS, ILLES', cod_prov: '-1', canal_entrada: 'KÑE' },
    { nomprov: 'BALEARS, ILLES', cod_prov: null, canal_entrada: 'KÑE' }, ['segmento_prefix_stripped', 'code_unknown']],
  ['canal padded on the right or by U+00A0', { canal_entrada: 'KHE ', tiprel_1mes: '\u00a0I' }, { canal_entrada: 'KHE', tiprel_1mes: 'I' }, ['segmento_prefix_stripped']],
  ['negative renta, product 2 and empty', { renta: '-5', ind_ahor_fin_ult1: '2', ind_aval_fin_ult1: '' },
    { renta: null, ind_ahor_fin_ult1: null, ind_aval_fin_ult1: null }, ['renta_invalid', 'product_flag_missing', 'segmento_prefix_stripped']],
  ['garbage renta, products 1.0 and padded 0', { renta: 'abc', ind_recibo_ult1: '1.0', ind_nom_pens_ult1: ' 0 ' },
    { renta: null, ind_recibo_ult1: 1, ind_nom_pens_ult1: 0 }, ['renta_invalid', 'segmento_prefix_stripped']],
  ['zero renta, product x', { renta: '0', ind_viv_fin_ult1: 'x' }, { renta: null, ind_viv_fin_ult1: null }, ['renta_invalid', 'product_flag_missing', 'segmento_prefix_stripped']],
  ['renta 1e3, invalid fecha_alta', { renta: '1e3', fecha_alta: 'abc' }, { renta: 1000, fecha_alta: null }, ['date_invalid', 'segmento_prefix_stripped']],
  ['no such day', { fecha_alta: '2015-02-30', ult_fec_cli_1t: '2015-07-02' }, { fecha_alta: null, ult_fec_cli_1t: '2015-07-02' }, ['date_invalid', 'segmento_prefix_stripped']],
  ['padded NA date', { ult_fec_cli_1t: ' NA' }, { ult_fec_cli_1t: null }, ['segmento_prefix_stripped']],
  ['month 13, padded date', { ult_fec_cli_1t: '2015-13-01', fecha_alta: ' 2012-08-10 ' }, { ult_fec_cli_1t: null, fecha_alta: '2012-08-10' }, ['date_invalid', 'segmento_prefix_stripped']],
  ['codes out of domain', { sexo: 'X', indresi: 'Y', indext: ' S ', indfall: 's', conyuemp: 'Q' },
    { sexo: null, indresi: null, indext: 'S', indfall: null, conyuemp: null }, ['code_unknown', 'segmento_prefix_stripped']],
  ['integer codes out of range', { conyuemp: ' N', ind_nuevo: '2', indrel: '100', ind_actividad_cliente: '3' },
    { conyuemp: 'N', ind_nuevo: null, indrel: null, ind_actividad_cliente: null, tiprel_1mes: 'A' }, ['code_unknown', 'segmento_prefix_stripped']],
  ['age -5, antiguedad -999999', { age: '-5', antiguedad: '-999999' }, { age: null, antiguedad: null }, ['age_invalid', 'antiguedad_invalid', 'segmento_prefix_stripped']],
  ['age 200, antiguedad 1201', { age: '200', antiguedad: '1201' }, { age: null, antiguedad: null }, ['age_invalid', 'antiguedad_invalid', 'segmento_prefix_stripped']],
  ['age abc, antiguedad 1.5 (rounded by the cast)', { age: 'abc', antiguedad: '1.5' }, { age: null, antiguedad: 2 }, ['age_invalid', 'segmento_prefix_stripped']],
  ['country in lower case', { pais_residencia: 'es' }, { pais_residencia: 'ES' }, ['segmento_prefix_stripped']],
  ['padded country', { pais_residencia: ' ES ' }, { pais_residencia: 'ES' }, ['segmento_prefix_stripped']],
  ['country of 3 letters', { pais_residencia: 'ESP' }, { pais_residencia: null }, ['segmento_prefix_stripped']],
];

/** [fecha_dato, ncodpers, key valid]: fecha_dato is NULL on the others. */
const KEYS: [string, string, boolean][] = [
  ['2015-01-28', '1375586', true],
  ['2015-02-30', '1', false],
  ['2015-1-28', '1', false],
  [' 2015-01-28 ', '1', true],
  ['abc', '1', false],
  ['2015-01-28', '0', false],
  ['2015-01-28', '0012', true],
  ['2015-01-28', '1234567890', false],
  ['2015-01-28', '', false],
  ['2015-01-28', ' 123 ', true],
  ['2015-01-28', '+123', false],
  ['2015-01-28', '1e2', false],
  ['2015-01-28', '000000000', false],
  ['2015-01-28', '999999999', true],
  ['\u00a02015-01-28', '1', false],
  ['\t2015-01-28', '1', false],
  ['2015-01-28', '\t1', false],
  ['2015/01/28', '1', false],
  ['2016-02-29', '1', true],
  ['2015-02-29', '1', false],
  ['10000-01-01', '1', false],
  ['0000-02-29', '1', true],
  ['1900-02-29', '1', false],
  ['infinity', '1', false],
  ['2015-01-28 ', '12 ', true],
  ['2015-01-2 ', '1', false],
];

/** The scanner's reading of a field: spaces around removed, then its own check. */
function scannerAccepts(date: string, id: string): boolean {
  const field = (s: string): [Buffer, number, number] => {
    const b = Buffer.from(s);
    let [start, end] = [0, b.length];
    while (start < end && b[start] === 32) start++;
    while (end > start && b[end - 1] === 32) end--;
    return [b, start, end];
  };
  return isValidDateField(...field(date)) && isValidIdField(...field(id));
}

const bits = (rules: FixRuleName[]) =>
  rules.reduce((s, r) => s + FIX_RULES.find((f) => f.name === r)!.bit, 0);
const cell = (v: string) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csv = (header: readonly string[], rows: Fields[]) =>
  [header.map((h) => `"${h}"`).join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? '')).join(','))]
    .join('\n')
    .concat('\n');

let dir: string;
let instance: DuckDBInstance;
let conn: DuckDBConnection;

async function clean(file: string, layout: Layout, header: readonly string[]): Promise<Row[]> {
  const source = readCsvSql(file, header, { latin1: false, gzip: false });
  return (await conn.runAndReadAll(cleanQuerySql(source, layout))).getRowObjectsJson();
}

beforeAll(async () => {
  dir = await tempDir('nextoffer-sql-');
  instance = await DuckDBInstance.create(':memory:', { threads: '1', preserve_insertion_order: 'true' });
  conn = await instance.connect();
});

afterAll(() => {
  conn.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('cleanQuerySql on a hand-made file', () => {
  it('cleans each value and sets exactly the bits of the rules it breaks', async () => {
    const file = path.join(dir, 'cases.csv');
    writeFileSync(
      file,
      csv(
        SANTANDER_TRAIN_HEADER,
        CASES.map(([, fields]) => ({ ...BASE, ...fields })),
      ),
    );
    const rows = await clean(file, 'train', SANTANDER_TRAIN_HEADER);
    expect(rows).toHaveLength(CASES.length);
    expect(Object.keys(rows[0])).toEqual(outputColumnNames('train'));
    expect(rows[0]).toEqual(BASE_OUT);
    CASES.forEach(([what, , expected, rules], i) => {
      expect({ what, ...rows[i] }).toMatchObject({ what, ...expected, dq_flags: bits(rules) });
    });
  });

  it('gives the test layout the same values and bits, without the products', async () => {
    const file = path.join(dir, 'cases-test.csv');
    writeFileSync(
      file,
      csv(
        SANTANDER_TEST_HEADER,
        CASES.map(([, fields]) => ({ ...BASE, ...fields })),
      ),
    );
    const rows = await clean(file, 'test', SANTANDER_TEST_HEADER);
    expect(Object.keys(rows[0])).toEqual(outputColumnNames('test'));
    CASES.forEach(([what, , expected, rules], i) => {
      const want = Object.entries({
        ...expected,
        dq_flags: bits(rules.filter((r) => r !== 'product_flag_missing')),
      });
      expect({ what, ...rows[i] }).toMatchObject({
        what,
        ...Object.fromEntries(want.filter(([c]) => !(SANTANDER_PRODUCTS as readonly string[]).includes(c))),
      });
    });
  });

  it('keeps a row only when its key passes the scanner check', async () => {
    const file = path.join(dir, 'keys.csv');
    const fields = KEYS.map(([fecha_dato, ncodpers]) => ({ ...BASE, fecha_dato, ncodpers }));
    writeFileSync(file, csv(SANTANDER_TRAIN_HEADER, fields));
    const rows = await clean(file, 'train', SANTANDER_TRAIN_HEADER);
    const got = KEYS.map(([date, id], i) => [date, id, rows[i].fecha_dato !== null]);
    expect(got).toEqual(KEYS);
    expect(KEYS.map(([date, id]) => [date, id, scannerAccepts(date, id)])).toEqual(KEYS);
    KEYS.forEach(([date, id, valid], i) => {
      if (valid) expect([rows[i].fecha_dato, rows[i].ncodpers]).toEqual([date.trim(), Number(id)]);
    });
  });
});

describe.skipIf(!existsSync(HEAD_FILE))('cleanQuerySql on the real head file', () => {
  it('gives the figures of the reference version', async () => {
    const source = readCsvSql(HEAD_FILE, SANTANDER_TRAIN_HEADER, { latin1: false, gzip: false });
    const perRule = FIX_RULES.map((r) => `count(*) FILTER (dq_flags & ${r.bit} <> 0)::INTEGER AS ${r.name}`);
    const sql =
      `SELECT count(*)::INTEGER AS n, count(fecha_dato)::INTEGER AS keys, sum(age)::INTEGER AS age, ` +
      `sum(antiguedad)::INTEGER AS antiguedad, round(sum(renta), 2)::DOUBLE AS renta, count(renta)::INTEGER AS renta_n, ` +
      `count(DISTINCT nomprov)::INTEGER AS provinces, count(*) FILTER (nomprov = 'UNKNOWN')::INTEGER AS unknown_prov, ` +
      `count(DISTINCT segmento)::INTEGER AS segmentos, count(*) FILTER (tiprel_1mes = 'A')::INTEGER AS tiprel_a, ` +
      `count(*) FILTER (indrel_1mes = '1')::INTEGER AS indrel1, count(sexo)::INTEGER AS sexo, ` +
      `(${SANTANDER_PRODUCTS.map((p) => `sum(${p})`).join(' + ')})::INTEGER AS products, ` +
      `sum(dq_flags)::INTEGER AS flags, ${perRule.join(', ')} FROM (${cleanQuerySql(source, 'train')})`;
    const [row] = (await conn.runAndReadAll(sql)).getRowObjectsJson();
    // prettier-ignore
    expect(row).toEqual({
      n: 9999, keys: 9999, age: 268436, antiguedad: 345725, renta: 889634609.31, renta_n: 8100,
      provinces: 53, unknown_prov: 54, segmentos: 3, tiprel_a: 3589, indrel1: 9949, sexo: 9949,
      products: 11999, flags: 2327856, trim_padding: 0, age_invalid: 0, antiguedad_invalid: 0,
      indrel_1mes_unified: 5718, indrel_1mes_unknown: 0, ind_empleado_unknown: 0, tiprel_1mes_filled: 0,
      segmento_prefix_stripped: 9949, province_missing: 54, renta_missing: 1899, renta_invalid: 0,
      product_flag_missing: 11, date_invalid: 0, code_unknown: 0,
    });
  });
});
