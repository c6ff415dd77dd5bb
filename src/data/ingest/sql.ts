/**
 * The SQL that reads a raw Santander file and writes it cleaned, in one DuckDB scan.
 * Every raw column is read as text. An inner SELECT parses each column once (DuckDB's casts
 * ignore surrounding spaces); the outer SELECT applies the domain rules on the parsed values
 * and sets each fix rule's bit in `dq_flags` (see rules.ts), so the quality report is an
 * aggregate of the output. Padding is counted by the byte scanner (scan.ts), not here.
 */
import { SANTANDER_PRODUCTS } from '../santander-schema.js';
import { FIX_RULES, PROVINCES, type FixRuleName } from './rules.js';

export type Layout = 'train' | 'test';

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** `read_csv(...)` of the raw file with every column as VARCHAR and rejects stored. */
export function readCsvSql(
  file: string,
  header: readonly string[],
  options: { latin1: boolean; gzip: boolean },
) {
  const columns = `{${header.map((c) => `${q(c)}: 'VARCHAR'`).join(', ')}}`;
  return (
    `read_csv(${q(file)}, header = true, auto_detect = false, columns = ${columns}, delim = ',', ` +
    `quote = '"', escape = '"', strict_mode = true, store_rejects = true, ` +
    `rejects_table = 'rejects', rejects_scan = 'reject_scans', max_line_size = 1048576` +
    `${options.latin1 ? ", encoding = 'latin-1'" : ''}${options.gzip ? ", compression = 'gzip'" : ''})`
  );
}

/** Key check shared with scan.ts: a `YYYY-MM-DD` calendar date and a 1–9 digit non-zero id. */
const KEY_VALID =
  `(regexp_full_match(trim(fecha_dato), '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(fecha_dato AS DATE) IS NOT NULL ` +
  `AND regexp_full_match(trim(ncodpers), '[0-9]{1,9}') AND TRY_CAST(ncodpers AS INTEGER) > 0)`;

/** Raw value present: not empty and not the literal NA (padded or not). */
const present = (c: string) => `(${c} IS NOT NULL AND trim(${c}) NOT IN ('', 'NA'))`;
const code = (c: string) => `CASE WHEN ${present(c)} THEN trim(${c}) END`;

const SN = ['S', 'N'];
const EMPLEADO = ['A', 'B', 'F', 'N', 'P', 'S'];
const PROVINCE_LIST = `[${PROVINCES.map(q).join(', ')}]`;
const INDREL_1MES = `CASE r_indrel_1mes WHEN '1' THEN '1' WHEN '1.0' THEN '1' WHEN '2' THEN '2' WHEN '2.0' THEN '2'
  WHEN '3' THEN '3' WHEN '3.0' THEN '3' WHEN '4' THEN '4' WHEN '4.0' THEN '4' WHEN 'P' THEN 'P' END`;
/** '02 - PARTICULARES': two digits, ' - ', the name. */
const SEGMENTO_PREFIX = `(r_segmento LIKE '__ - %' AND TRY_CAST(left(r_segmento, 2) AS INTEGER) IS NOT NULL)`;

/** Integer columns: name, bounds, output type. */
const INTS: [string, number, number, string][] = [
  ['age', 0, 110, 'SMALLINT'],
  ['ind_nuevo', 0, 1, 'UTINYINT'],
  ['antiguedad', 0, 1200, 'SMALLINT'],
  ['indrel', 1, 99, 'UTINYINT'],
  ['cod_prov', 1, PROVINCES.length, 'UTINYINT'],
  ['ind_actividad_cliente', 0, 1, 'UTINYINT'],
];
const CODES: [string, string[]][] = [
  ['ind_empleado', EMPLEADO],
  ['sexo', ['H', 'V']],
  ['indresi', SN],
  ['indext', SN],
  ['conyuemp', SN],
  ['indfall', SN],
];

/** Inner SELECT: each raw column parsed once (`p_*` parsed, `r_*` trimmed text, `n_*` present flag). */
function innerSelect(layout: Layout): string[] {
  const cols = [
    `CASE WHEN ${KEY_VALID} THEN CAST(trim(fecha_dato) AS DATE) END AS fecha_dato`,
    `TRY_CAST(ncodpers AS INTEGER) AS ncodpers`,
    `CASE WHEN length(trim(pais_residencia)) = 2 THEN upper(trim(pais_residencia)) END AS pais_residencia`,
    `TRY_CAST(fecha_alta AS DATE) AS fecha_alta`,
    `TRY_CAST(ult_fec_cli_1t AS DATE) AS ult_fec_cli_1t`,
    `${present('fecha_alta')} AS n_fecha_alta`,
    `${present('ult_fec_cli_1t')} AS n_ult_fec_cli_1t`,
    `trim(indrel_1mes) AS r_indrel_1mes`,
    `${code('tiprel_1mes')} AS tiprel_raw`,
    `${code('canal_entrada')} AS canal_entrada`,
    `${code('nomprov')} AS nomprov_raw`,
    `TRY_CAST(renta AS DOUBLE) AS p_renta`,
    `${present('renta')} AS n_renta`,
    `trim(segmento) AS r_segmento`,
  ];
  for (const [c] of INTS) cols.push(`TRY_CAST(${c} AS INTEGER) AS p_${c}`, `${present(c)} AS n_${c}`);
  for (const [c] of CODES) cols.push(`${code(c)} AS r_${c}`);
  if (layout === 'train')
    for (const p of SANTANDER_PRODUCTS) cols.push(`TRY_CAST(${p} AS UTINYINT) AS p_${p}`);
  return cols;
}

const inRange = (c: string, lo: number, hi: number) => `p_${c} BETWEEN ${lo} AND ${hi}`;

/** Outer SELECT: the dataset's typed columns, in order. `tipodom` is dropped (constant in the layout). */
function outputColumns(layout: Layout): [string, string][] {
  const int = (c: string) => {
    const [, lo, hi, type] = INTS.find(([n]) => n === c)!;
    return `CASE WHEN ${inRange(c, lo, hi)} THEN p_${c}::${type} END`;
  };
  const codeOut = (c: string) => {
    const codes = CODES.find(([n]) => n === c)![1];
    return `CASE WHEN r_${c} IN (${codes.map(q).join(', ')}) THEN r_${c} END`;
  };
  const cols: [string, string][] = [
    ['fecha_dato', 'fecha_dato'],
    ['ncodpers', 'ncodpers'],
    ['ind_empleado', codeOut('ind_empleado')],
    ['pais_residencia', 'pais_residencia'],
    ['sexo', codeOut('sexo')],
    ['age', int('age')],
    ['fecha_alta', 'fecha_alta'],
    ['ind_nuevo', int('ind_nuevo')],
    ['antiguedad', int('antiguedad')],
    ['indrel', int('indrel')],
    ['ult_fec_cli_1t', 'ult_fec_cli_1t'],
    ['indrel_1mes', INDREL_1MES],
    ['tiprel_1mes', `coalesce(tiprel_raw, CASE p_ind_actividad_cliente WHEN 1 THEN 'A' WHEN 0 THEN 'I' END)`],
    ['indresi', codeOut('indresi')],
    ['indext', codeOut('indext')],
    ['conyuemp', codeOut('conyuemp')],
    ['canal_entrada', 'canal_entrada'],
    ['indfall', codeOut('indfall')],
    ['cod_prov', int('cod_prov')],
    [
      'nomprov',
      `coalesce(nomprov_raw, ${PROVINCE_LIST}[CASE WHEN ${inRange('cod_prov', 1, PROVINCES.length)} THEN p_cod_prov END], 'UNKNOWN')`,
    ],
    ['ind_actividad_cliente', int('ind_actividad_cliente')],
    ['renta', `CASE WHEN p_renta > 0 THEN p_renta END`],
    [
      'segmento',
      `CASE WHEN ${SEGMENTO_PREFIX} THEN substr(r_segmento, 6) WHEN r_segmento NOT IN ('', 'NA') THEN r_segmento END`,
    ],
  ];
  if (layout === 'train')
    for (const p of SANTANDER_PRODUCTS) cols.push([p, `CASE WHEN p_${p} <= 1 THEN p_${p} END`]);
  return cols;
}

/** Conditions of each fix rule on the inner columns; `trim_padding` is counted by the scanner. */
function ruleConditions(layout: Layout): Record<Exclude<FixRuleName, 'trim_padding'>, string> {
  const intBad = (c: string) => {
    const [, lo, hi] = INTS.find(([n]) => n === c)!;
    return `(n_${c} AND NOT coalesce(${inRange(c, lo, hi)}, false))`;
  };
  const codeBad = (c: string) => {
    const codes = CODES.find(([n]) => n === c)![1];
    return `(r_${c} IS NOT NULL AND r_${c} NOT IN (${codes.map(q).join(', ')}))`;
  };
  const products = layout === 'train' ? [...SANTANDER_PRODUCTS] : [];
  return {
    age_invalid: intBad('age'),
    antiguedad_invalid: intBad('antiguedad'),
    indrel_1mes_unified: `r_indrel_1mes IN ('1.0', '2.0', '3.0', '4.0')`,
    indrel_1mes_unknown: `(r_indrel_1mes NOT IN ('', 'NA') AND ${INDREL_1MES} IS NULL)`,
    ind_empleado_unknown: codeBad('ind_empleado'),
    tiprel_1mes_filled: `(tiprel_raw IS NULL AND p_ind_actividad_cliente IN (0, 1))`,
    segmento_prefix_stripped: SEGMENTO_PREFIX,
    province_missing: `nomprov_raw IS NULL`,
    renta_missing: `NOT n_renta`,
    renta_invalid: `(n_renta AND NOT coalesce(p_renta > 0, false))`,
    product_flag_missing: products.length
      ? products.map((p) => `NOT coalesce(p_${p} <= 1, false)`).join(' OR ')
      : 'false',
    date_invalid: `(n_fecha_alta AND fecha_alta IS NULL) OR (n_ult_fec_cli_1t AND ult_fec_cli_1t IS NULL)`,
    code_unknown: [
      ...['sexo', 'indresi', 'indext', 'indfall', 'conyuemp'].map(codeBad),
      ...['ind_nuevo', 'indrel', 'ind_actividad_cliente', 'cod_prov'].map(intBad),
    ].join(' OR '),
  };
}

/** The whole cleaning query over a `read_csv(...)` source. */
export function cleanQuerySql(source: string, layout: Layout): string {
  const conditions = ruleConditions(layout);
  const flags = FIX_RULES.filter((r) => r.name !== 'trim_padding')
    .map(
      (r) =>
        `CASE WHEN ${conditions[r.name as Exclude<FixRuleName, 'trim_padding'>]} THEN ${r.bit} ELSE 0 END`,
    )
    .join('\n  + ');
  const outer = outputColumns(layout).map(([name, sql]) => `${sql} AS ${name}`);
  return (
    `SELECT ${[...outer, `(${flags})::INTEGER AS dq_flags`].join(',\n  ')}\n` +
    `FROM (SELECT ${innerSelect(layout).join(',\n  ')} FROM ${source})`
  );
}

/** Column names of the cleaned dataset. */
export function outputColumnNames(layout: Layout): string[] {
  return [...outputColumns(layout).map(([n]) => n), 'dq_flags'];
}
