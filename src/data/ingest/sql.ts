/**
 * The SQL that reads a raw Santander file and writes it cleaned, in one DuckDB scan.
 * Every raw column is read as text. A first SELECT parses each column once (DuckDB's casts
 * ignore surrounding ASCII whitespace), a second applies the domain rules and names the output
 * columns, a third sets each fix rule's bit in `dq_flags` (see rules.ts), so the quality report
 * is an aggregate of the output. Padding is counted by the byte scanner (scan.ts), not here.
 *
 * The rules are defined on the text as DuckDB's `trim` leaves it (it strips Unicode spaces, of
 * which U+0020 is the only ASCII one). Most values are clean, so each rule first takes a path
 * that is exact for clean values and keeps the general formula for the others (sql.test.ts):
 * - a value that parses is present, so "present" (not '' or NA once trimmed) is only tested
 *   where the parse failed;
 * - a known value (a code, a segment, a province) matched exactly is its own trimmed form;
 * - the rules set on few rows are computed only where a cheap test on the output fails;
 * - only CASE runs a branch on just the rows that reach it (AND/OR in a SELECT list run every
 *   operand on every row), so the lazy parts are written as CASE.
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

/**
 * Key check shared with scan.ts: trimmed of spaces, a `YYYY-MM-DD` calendar date and a 1–9 digit
 * non-zero id. KEY_CANONICAL comes first: raw text equal to what DuckDB prints for the parsed
 * value (10 characters: a date of year 0001–9999; the digits of 1..999999999) passes KEY_VALID.
 */
const KEY_CANONICAL =
  `strlen(raw_fecha_dato) = 10 AND raw_fecha_dato = p_fecha_dato::VARCHAR ` +
  `AND p_ncodpers BETWEEN 1 AND 999999999 AND raw_ncodpers = p_ncodpers::VARCHAR`;
const KEY_VALID =
  `p_fecha_dato IS NOT NULL AND p_ncodpers > 0 ` +
  `AND regexp_full_match(trim(raw_fecha_dato), '[0-9]{4}-[0-9]{2}-[0-9]{2}') ` +
  `AND regexp_full_match(trim(raw_ncodpers), '[0-9]{1,9}')`;

/** `present(c) AND NOT coalesce(ok, false)`; present: not NULL, '' or NA once trimmed. */
const presentUnless = (ok: string, c: string) =>
  `CASE WHEN ${ok} OR ${c} IS NULL THEN false ELSE trim(${c}) NOT IN ('', 'NA') END`;
/** `CASE x WHEN v THEN v … ELSE otherwise END`. */
const known = (x: string, values: readonly string[], otherwise: string) =>
  `CASE ${x} ${values.map((v) => `WHEN ${q(v)} THEN ${q(v)}`).join(' ')} ELSE ${otherwise} END`;
/** Trimmed text, NULL when missing ('' or NA). */
const text = (c: string) => `nullif(nullif(trim(${c}), ''), 'NA')`;
/** text(c), without the trim for ASCII text with no space at either end (nothing to trim). */
const cleanText = (c: string) =>
  `CASE WHEN strlen(${c}) = length(${c}) AND NOT prefix(${c}, ' ') AND NOT suffix(${c}, ' ') ` +
  `AND ${c} NOT IN ('', 'NA') THEN ${c} ELSE ${text(c)} END`;

const PROVINCE_LIST = `[${PROVINCES.map(q).join(', ')}]`;
/** indrel_1mes values, most frequent first; 'n.0' is written 'n'. */
const INDREL_VALUES = ['1.0', '1', '3.0', '3', '2.0', '2', '4.0', '4', 'P'];
/** '02 - PARTICULARES': two digits, ' - ', the name. */
const SEGMENTO_PREFIX = `(t_segmento LIKE '__ - %' AND TRY_CAST(left(t_segmento, 2) AS INTEGER) IS NOT NULL)`;
const SEGMENTOS = ['03 - UNIVERSITARIO', '02 - PARTICULARES', '01 - TOP'];

/** Integer columns: name, bounds, output type. */
const INTS: [string, number, number, string][] = [
  ['age', 0, 110, 'SMALLINT'],
  ['ind_nuevo', 0, 1, 'UTINYINT'],
  ['antiguedad', 0, 1200, 'SMALLINT'],
  ['indrel', 1, 99, 'UTINYINT'],
  ['cod_prov', 1, PROVINCES.length, 'UTINYINT'],
  ['ind_actividad_cliente', 0, 1, 'UTINYINT'],
];
/** Code columns and their domains, most frequent first. */
const CODES: [string, string[]][] = [
  ['ind_empleado', ['N', 'A', 'B', 'F', 'S', 'P']],
  ['sexo', ['V', 'H']],
  ['indresi', ['S', 'N']],
  ['indext', ['N', 'S']],
  ['conyuemp', ['N', 'S']],
  ['indfall', ['N', 'S']],
];

/** A product flag: 0 or 1 (the file's spellings first), else NULL. */
const productFlag = (p: string) =>
  `CASE ${p} WHEN '0' THEN 0::UTINYINT WHEN '1' THEN 1::UTINYINT WHEN ' 0' THEN 0::UTINYINT ` +
  `WHEN ' 1' THEN 1::UTINYINT ELSE CASE WHEN TRY_CAST(${p} AS UTINYINT) <= 1 THEN TRY_CAST(${p} AS UTINYINT) END END`;

/** First SELECT: `p_*` parsed, `v_*` value in the domain, `t_*` trimmed text, `raw_*` as read. */
function parsedColumns(layout: Layout): string[] {
  const raw = (c: string) => `${c} AS raw_${c}`;
  const pais = `CASE WHEN length(trim(pais_residencia)) = 2 THEN upper(trim(pais_residencia)) END`;
  // A province named as in the list at its code is its own trimmed text.
  const nomprov = `CASE WHEN nomprov = ${PROVINCE_LIST}[TRY_CAST(cod_prov AS INTEGER)] THEN nomprov ELSE ${text('nomprov')} END`;
  const cols = [
    `TRY_CAST(fecha_dato AS DATE) AS p_fecha_dato`,
    raw('fecha_dato'),
    `TRY_CAST(ncodpers AS INTEGER) AS p_ncodpers`,
    raw('ncodpers'),
    `${known('pais_residencia', ['ES'], pais)} AS v_pais_residencia`, // nearly every row is 'ES'
    `TRY_CAST(fecha_alta AS DATE) AS p_fecha_alta`,
    raw('fecha_alta'),
    `TRY_CAST(ult_fec_cli_1t AS DATE) AS p_ult_fec_cli_1t`,
    raw('ult_fec_cli_1t'),
    `${known('indrel_1mes', INDREL_VALUES, 'trim(indrel_1mes)')} AS t_indrel_1mes`,
    `${known('tiprel_1mes', ['I', 'A', 'P', 'R', 'N'], text('tiprel_1mes'))} AS t_tiprel_1mes`,
    `${cleanText('canal_entrada')} AS t_canal_entrada`,
    `${nomprov} AS t_nomprov`,
    `TRY_CAST(renta AS DOUBLE) AS p_renta`,
    raw('renta'),
    `${known('segmento', SEGMENTOS, 'trim(segmento)')} AS t_segmento`,
  ];
  for (const [c] of INTS) cols.push(`TRY_CAST(${c} AS INTEGER) AS p_${c}`, raw(c));
  for (const [c, domain] of CODES) {
    const slow = `CASE WHEN ${c} IS NOT NULL THEN ${known(`trim(${c})`, domain, 'NULL')} END`;
    cols.push(`${known(c, domain, slow)} AS v_${c}`, raw(c));
  }
  if (layout === 'train') for (const p of SANTANDER_PRODUCTS) cols.push(`${productFlag(p)} AS v_${p}`);
  return cols;
}

/** Second SELECT: the dataset's typed columns, in order. `tipodom` is dropped (constant in the layout). */
function outputColumns(layout: Layout): [string, string][] {
  const int = (c: string) => {
    const [, lo, hi, type] = INTS.find(([n]) => n === c)!;
    return `CASE WHEN p_${c} BETWEEN ${lo} AND ${hi} THEN p_${c}::${type} END`;
  };
  const indrel = INDREL_VALUES.map((v) => `WHEN ${q(v)} THEN ${q(v[0])}`).join(' ');
  const segmento = SEGMENTOS.map((s) => `WHEN ${q(s)} THEN ${q(s.slice(5))}`).join(' ');
  const provinceOfCode = `${PROVINCE_LIST}[CASE WHEN p_cod_prov BETWEEN 1 AND ${PROVINCES.length} THEN p_cod_prov END]`;
  const cols: [string, string][] = [
    ['fecha_dato', `CASE WHEN ${KEY_CANONICAL} THEN p_fecha_dato WHEN ${KEY_VALID} THEN p_fecha_dato END`],
    ['ncodpers', 'p_ncodpers'],
    ['ind_empleado', 'v_ind_empleado'],
    ['pais_residencia', 'v_pais_residencia'],
    ['sexo', 'v_sexo'],
    ['age', int('age')],
    ['fecha_alta', 'p_fecha_alta'],
    ['ind_nuevo', int('ind_nuevo')],
    ['antiguedad', int('antiguedad')],
    ['indrel', int('indrel')],
    ['ult_fec_cli_1t', 'p_ult_fec_cli_1t'],
    ['indrel_1mes', `CASE t_indrel_1mes ${indrel} END`],
    [
      'tiprel_1mes',
      `coalesce(t_tiprel_1mes, CASE p_ind_actividad_cliente WHEN 1 THEN 'A' WHEN 0 THEN 'I' END)`,
    ],
    ['indresi', 'v_indresi'],
    ['indext', 'v_indext'],
    ['conyuemp', 'v_conyuemp'],
    ['canal_entrada', 't_canal_entrada'],
    ['indfall', 'v_indfall'],
    ['cod_prov', int('cod_prov')],
    ['nomprov', `coalesce(t_nomprov, ${provinceOfCode}, 'UNKNOWN')`],
    ['ind_actividad_cliente', int('ind_actividad_cliente')],
    ['renta', `CASE WHEN p_renta > 0 THEN p_renta END`],
    [
      'segmento',
      `CASE t_segmento ${segmento} ELSE CASE WHEN ${SEGMENTO_PREFIX} THEN substr(t_segmento, 6) ` +
        `WHEN t_segmento NOT IN ('', 'NA') THEN t_segmento END END`,
    ],
  ];
  if (layout === 'train') for (const p of SANTANDER_PRODUCTS) cols.push([p, `v_${p}`]);
  return cols;
}

/** Columns of the second SELECT the rules read besides the output. */
const RULE_INPUTS = [
  't_indrel_1mes',
  't_tiprel_1mes',
  't_nomprov',
  't_segmento',
  ...['renta', 'fecha_alta', 'ult_fec_cli_1t', ...INTS.map(([c]) => c), ...CODES.map(([c]) => c)].map(
    (c) => `raw_${c}`,
  ),
];

type SqlRule = Exclude<FixRuleName, 'trim_padding'>;
const bit = (rule: SqlRule) => FIX_RULES.find((r) => r.name === rule)!.bit;
/** Rules set on many rows, their bits computed per column in one CASE. */
type FrequentRule =
  | 'indrel_1mes_unified'
  | 'indrel_1mes_unknown'
  | 'segmento_prefix_stripped'
  | 'renta_missing'
  | 'renta_invalid';

/** Bits of the frequent rules: one CASE per column over its values, most frequent first. */
function frequentBits(): string[] {
  const indrel = INDREL_VALUES.map(
    (v) => `WHEN ${q(v)} THEN ${v.endsWith('.0') ? bit('indrel_1mes_unified') : 0}`,
  ).join(' ');
  const segmento = SEGMENTOS.map((s) => `WHEN ${q(s)} THEN ${bit('segmento_prefix_stripped')}`).join(' ');
  return [
    // unified: a '.0' value; unknown: anything but NULL, '', NA and the values.
    `CASE t_indrel_1mes ${indrel} WHEN '' THEN 0 WHEN 'NA' THEN 0 ` +
      `ELSE CASE WHEN t_indrel_1mes IS NULL THEN 0 ELSE ${bit('indrel_1mes_unknown')} END END`,
    `CASE t_segmento ${segmento} ELSE CASE WHEN ${SEGMENTO_PREFIX} THEN ${bit('segmento_prefix_stripped')} ELSE 0 END END`,
    // A positive number is kept; missing: not present; invalid: present but not kept.
    `CASE WHEN renta IS NOT NULL THEN 0 WHEN raw_renta IS NULL THEN ${bit('renta_missing')} ` +
      `WHEN trim(raw_renta) IN ('', 'NA') THEN ${bit('renta_missing')} ELSE ${bit('renta_invalid')} END`,
  ];
}

/**
 * The other rules on the output columns: `set` is the rule, `clean` cheap tests that together
 * imply it is not set, so `set` is evaluated only on the rows where one of them fails.
 */
function rareRules(layout: Layout): Record<Exclude<SqlRule, FrequentRule>, { clean: string[]; set: string }> {
  // An int is NULL when out of its range: invalid if the raw value was present.
  const int = (c: string) => ({
    clean: [`${c} IS NOT NULL`],
    set: presentUnless(`${c} IS NOT NULL`, `raw_${c}`),
  });
  // A code is NULL when not in its domain; the raw value, NULL when missing.
  const nullAsRaw = (c: string) => `(${c} IS NULL) = (raw_${c} IS NULL)`;
  const code = (c: string) => ({ clean: [nullAsRaw(c)], set: presentUnless(`${c} IS NOT NULL`, `raw_${c}`) });
  const anyOf = (rules: { clean: string[]; set: string }[]) => ({
    clean: rules.flatMap((r) => r.clean),
    set: rules.map((r) => r.set).join(' OR '),
  });
  const products = layout === 'train' ? SANTANDER_PRODUCTS.map((p) => `${p} IS NOT NULL`) : [];
  return {
    age_invalid: int('age'),
    antiguedad_invalid: int('antiguedad'),
    ind_empleado_unknown: code('ind_empleado'),
    tiprel_1mes_filled: {
      clean: ['t_tiprel_1mes IS NOT NULL'],
      set: `(t_tiprel_1mes IS NULL AND ind_actividad_cliente IS NOT NULL)`,
    },
    province_missing: { clean: ['t_nomprov IS NOT NULL'], set: 't_nomprov IS NULL' },
    product_flag_missing: {
      clean: products,
      set: products.length ? `NOT (${products.join(' AND ')})` : 'false',
    },
    date_invalid: {
      clean: ['fecha_alta IS NOT NULL', nullAsRaw('ult_fec_cli_1t')],
      set:
        `${presentUnless('fecha_alta IS NOT NULL', 'raw_fecha_alta')} ` +
        `OR ${presentUnless('ult_fec_cli_1t IS NOT NULL', 'raw_ult_fec_cli_1t')}`,
    },
    code_unknown: anyOf([
      ...['sexo', 'indresi', 'indext', 'indfall', 'conyuemp'].map(code),
      ...['ind_nuevo', 'indrel', 'ind_actividad_cliente', 'cod_prov'].map(int),
    ]),
  };
}

/** `dq_flags`: the sum of the bits of the rules set on the row. */
function flagsSql(layout: Layout): string {
  const rare = Object.entries(rareRules(layout)) as [SqlRule, { clean: string[]; set: string }][];
  const rareSum = rare.map(([name, r]) => `CASE WHEN ${r.set} THEN ${bit(name)} ELSE 0 END`).join('\n    + ');
  const clean = rare.flatMap(([, r]) => r.clean).join('\n    AND ');
  return `(${[...frequentBits(), `CASE WHEN ${clean} THEN 0 ELSE ${rareSum} END`].join('\n  + ')})::INTEGER`;
}

/** The whole cleaning query over a `read_csv(...)` source. */
export function cleanQuerySql(source: string, layout: Layout): string {
  const outputs = outputColumns(layout);
  return (
    `SELECT ${[...outputs.map(([name]) => name), `${flagsSql(layout)} AS dq_flags`].join(',\n  ')}\n` +
    `FROM (SELECT ${[...outputs.map(([name, sql]) => `${sql} AS ${name}`), ...RULE_INPUTS].join(',\n  ')}\n` +
    `FROM (SELECT ${parsedColumns(layout).join(',\n  ')} FROM ${source}))`
  );
}

/** Column names of the cleaned dataset. */
export function outputColumnNames(layout: Layout): string[] {
  return [...outputColumns(layout).map(([n]) => n), 'dq_flags'];
}
