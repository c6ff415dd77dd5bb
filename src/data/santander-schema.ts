/** Column layout of the Santander Product Recommendation files (`train_ver2.csv`, `test_ver2.csv`). */

export const SANTANDER_KEY_COLUMNS = ['fecha_dato', 'ncodpers'] as const;

/** The 22 client columns, in file order, after `fecha_dato, ncodpers`. */
export const SANTANDER_CLIENT_COLUMNS = [
  'ind_empleado',
  'pais_residencia',
  'sexo',
  'age',
  'fecha_alta',
  'ind_nuevo',
  'antiguedad',
  'indrel',
  'ult_fec_cli_1t',
  'indrel_1mes',
  'tiprel_1mes',
  'indresi',
  'indext',
  'conyuemp',
  'canal_entrada',
  'indfall',
  'tipodom',
  'cod_prov',
  'nomprov',
  'ind_actividad_cliente',
  'renta',
  'segmento',
] as const;

/** The 24 product flags, in file order. */
export const SANTANDER_PRODUCTS = [
  'ind_ahor_fin_ult1',
  'ind_aval_fin_ult1',
  'ind_cco_fin_ult1',
  'ind_cder_fin_ult1',
  'ind_cno_fin_ult1',
  'ind_ctju_fin_ult1',
  'ind_ctma_fin_ult1',
  'ind_ctop_fin_ult1',
  'ind_ctpp_fin_ult1',
  'ind_deco_fin_ult1',
  'ind_deme_fin_ult1',
  'ind_dela_fin_ult1',
  'ind_ecue_fin_ult1',
  'ind_fond_fin_ult1',
  'ind_hip_fin_ult1',
  'ind_plan_fin_ult1',
  'ind_pres_fin_ult1',
  'ind_reca_fin_ult1',
  'ind_tjcr_fin_ult1',
  'ind_valo_fin_ult1',
  'ind_viv_fin_ult1',
  'ind_nomina_ult1',
  'ind_nom_pens_ult1',
  'ind_recibo_ult1',
] as const;

export type SantanderProduct = (typeof SANTANDER_PRODUCTS)[number];
export type SantanderClientColumn = (typeof SANTANDER_CLIENT_COLUMNS)[number];

/** `test_ver2.csv`: keys + client columns (24 columns). */
export const SANTANDER_TEST_HEADER: readonly string[] = [
  ...SANTANDER_KEY_COLUMNS,
  ...SANTANDER_CLIENT_COLUMNS,
];

/** `train_ver2.csv`: keys + client columns + product flags (48 columns). */
export const SANTANDER_TRAIN_HEADER: readonly string[] = [...SANTANDER_TEST_HEADER, ...SANTANDER_PRODUCTS];

/** First month of the real file; the generator starts here too. */
export const SANTANDER_FIRST_MONTH = '2015-01-28';

/** Month dates in the file are the 28th: `addMonths('2015-01-28', 1) === '2015-02-28'`. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  const yy = Math.floor(idx / 12);
  const mm = (idx % 12) + 1;
  return `${yy}-${String(mm).padStart(2, '0')}-28`;
}
