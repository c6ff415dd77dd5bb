/**
 * The cleaning rules of the Santander layout. Each fix rule owns one bit of the row-level
 * `dq_flags` column written with the data, so its count is `count(*) where dq_flags & bit`.
 * Quarantine rules name why a line was not ingested at all.
 */

export interface FixRule {
  name: string;
  bit: number;
  description: string;
}

/** Fix rules, in report order. `bit` values are part of the dataset format: never renumber. */
export const FIX_RULES = [
  // Counted by the byte scanner (a per-field check in SQL costs more than the whole read); bit unused.
  { name: 'trim_padding', bit: 1 << 0, description: 'rows with a field padded by spaces: trimmed' },
  { name: 'age_invalid', bit: 1 << 1, description: 'age not an integer in 0..110: set to null' },
  {
    name: 'antiguedad_invalid',
    bit: 1 << 2,
    description: 'antiguedad (months) not an integer in 0..1200 (e.g. -999999): set to null',
  },
  { name: 'indrel_1mes_unified', bit: 1 << 3, description: 'indrel_1mes 1.0/2.0/3.0/4.0 written as 1/2/3/4' },
  { name: 'indrel_1mes_unknown', bit: 1 << 4, description: 'indrel_1mes not one of 1,2,3,4,P: set to null' },
  {
    name: 'ind_empleado_unknown',
    bit: 1 << 5,
    description: 'ind_empleado not one of A,B,F,N,P,S: set to null',
  },
  {
    name: 'tiprel_1mes_filled',
    bit: 1 << 6,
    description: 'tiprel_1mes missing: A if ind_actividad_cliente=1, I if 0 (else left null)',
  },
  {
    name: 'segmento_prefix_stripped',
    bit: 1 << 7,
    description: "segmento '02 - PARTICULARES' → 'PARTICULARES'",
  },
  {
    name: 'province_missing',
    bit: 1 << 8,
    description: "nomprov missing: filled from cod_prov when known, else marked 'UNKNOWN'",
  },
  {
    name: 'renta_missing',
    bit: 1 << 9,
    description: 'renta missing: kept null here, imputed with the province median by the dataset view',
  },
  { name: 'renta_invalid', bit: 1 << 10, description: 'renta not a positive number: set to null' },
  { name: 'product_flag_missing', bit: 1 << 11, description: 'a product flag NA/empty/not 0-1: left null' },
  { name: 'date_invalid', bit: 1 << 12, description: 'fecha_alta/ult_fec_cli_1t not a date: set to null' },
  {
    name: 'code_unknown',
    bit: 1 << 13,
    description:
      'sexo, indresi, indext, indfall, conyuemp, ind_nuevo, indrel, ind_actividad_cliente or cod_prov out of domain: null',
  },
] as const satisfies readonly FixRule[];

export type FixRuleName = (typeof FIX_RULES)[number]['name'];

/** Why a line was quarantined. */
export const QUARANTINE_RULES = {
  column_count: 'wrong number of columns',
  bad_quoting: 'a quote that does not open or close a field (an odd number of quotes)',
  invalid_encoding: 'bytes that are not valid in the file encoding',
  invalid_utf8: 'bytes that are not UTF-8 in a UTF-8 file (e.g. one Latin-1 line)',
  line_too_long: 'line longer than the maximum line size (NEXTOFFER_INGEST_MAX_LINE_BYTES)',
  unreadable: 'line the CSV reader could not parse',
  blank_line: 'empty line',
  fecha_dato_invalid: 'fecha_dato is not a YYYY-MM-DD date',
  ncodpers_missing: 'ncodpers missing or not a positive integer',
} as const;

export type QuarantineRule = keyof typeof QUARANTINE_RULES;

/** Maps DuckDB's reject `error_type` to a quarantine rule. */
export function quarantineRuleOf(duckdbErrorType: string): QuarantineRule {
  switch (duckdbErrorType) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS':
      return 'column_count';
    case 'UNQUOTED VALUE':
      return 'bad_quoting';
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return 'invalid_encoding';
    case 'LINE SIZE OVER MAXIMUM':
      return 'line_too_long';
    default:
      return 'unreadable';
  }
}

/** Spanish province names by INE code (1..52), as spelled in the Santander files. */
export const PROVINCES: readonly string[] = [
  'ALAVA',
  'ALBACETE',
  'ALICANTE',
  'ALMERIA',
  'AVILA',
  'BADAJOZ',
  'BALEARS, ILLES',
  'BARCELONA',
  'BURGOS',
  'CACERES',
  'CADIZ',
  'CASTELLON',
  'CIUDAD REAL',
  'CORDOBA',
  'CORUÑA, A',
  'CUENCA',
  'GIRONA',
  'GRANADA',
  'GUADALAJARA',
  'GIPUZKOA',
  'HUELVA',
  'HUESCA',
  'JAEN',
  'LEON',
  'LERIDA',
  'RIOJA, LA',
  'LUGO',
  'MADRID',
  'MALAGA',
  'MURCIA',
  'NAVARRA',
  'OURENSE',
  'ASTURIAS',
  'PALENCIA',
  'PALMAS, LAS',
  'PONTEVEDRA',
  'SALAMANCA',
  'SANTA CRUZ DE TENERIFE',
  'CANTABRIA',
  'SEGOVIA',
  'SEVILLA',
  'SORIA',
  'TARRAGONA',
  'TERUEL',
  'TOLEDO',
  'VALENCIA',
  'VALLADOLID',
  'BIZKAIA',
  'ZAMORA',
  'ZARAGOZA',
  'CEUTA',
  'MELILLA',
];
