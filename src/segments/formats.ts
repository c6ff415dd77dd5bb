/**
 * Input formats the segmentation knows: which columns become features and how they are encoded,
 * which columns carry RFM, value and a reference labeling. `detectFormat` picks one from the
 * header; `--features` overrides the feature list of any format.
 */
import { AppError, assertNever } from '../errors.js';
import { inferColumnType, type ColumnSet } from '../ml/preprocessing/columns.js';
import type { PipelineOptions } from '../ml/preprocessing/pipeline.js';
import { SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import type { RfmColumns } from './rfm.js';

export type SegmentFormat = 'santander' | 'bank' | 'yakutia' | 'generic';
export type FormatFlag = SegmentFormat | 'auto';
export const SEGMENT_FORMATS: readonly FormatFlag[] = ['santander', 'bank', 'yakutia', 'generic', 'auto'];

export interface FormatSpec {
  format: SegmentFormat;
  /** Pipeline settings; `numeric`/`categorical` are the default features. */
  pipeline: PipelineOptions;
  /** Category texts that mean "missing" in this format (UCI codes them 'unknown'). */
  missingTokens: string[];
  rfm: RfmColumns | null;
  /** Columns whose per-client percentile ranks average into the value score. */
  value: string[];
  /** A labeling shipped with the data, compared with ours by the adjusted Rand index. */
  reference: string | null;
  /** Columns never used as features. */
  exclude: string[];
}

const YAKUTIA_NUMERIC = [
  'age',
  'cnt_tr_all_3m',
  'cnt_tr_top_up_3m',
  'cnt_tr_cash_3m',
  'cnt_tr_buy_3m',
  'cnt_tr_mobile_3m',
  'cnt_tr_on_card_3m',
  'cnt_zp_12m',
  'sum_zp_12m',
  'cnt_dep_act',
  'sum_dep_now',
  'qnt_months_from_last_visit',
];

export const SANTANDER_SEGMENT_NUMERIC = [
  'age',
  'antiguedad',
  'renta',
  'ind_actividad_cliente',
  ...SANTANDER_PRODUCTS,
];

export function formatSpec(format: SegmentFormat): FormatSpec {
  switch (format) {
    case 'bank':
      // Label-encoded categories scaled to [0, 1], 'unknown' replaced by the most frequent value.
      return {
        format,
        pipeline: {
          numeric: [],
          categorical: ['job', 'housing', 'loan'],
          scaler: 'minmax',
          encoding: 'ordinal',
          scaleEncoded: true,
          categoryMissing: 'mode',
        },
        missingTokens: ['unknown'],
        rfm: null,
        value: [],
        reference: null,
        exclude: ['y', 'duration'],
      };
    case 'yakutia':
      return {
        format,
        pipeline: {
          numeric: YAKUTIA_NUMERIC,
          categorical: ['gender'],
          scaler: 'standard',
          imputer: 'median',
          encoding: 'onehot',
          categoryMissing: 'category',
          // Amounts and counts are heavy-tailed: compressed by log1p before standardising.
          log: YAKUTIA_NUMERIC.filter((c) => c.startsWith('cnt_') || c.startsWith('sum_')),
        },
        missingTokens: [],
        rfm: {
          recency: 'qnt_months_from_last_visit',
          frequency: 'cnt_tr_all_3m',
          monetary: ['sum_zp_12m', 'sum_dep_now'],
        },
        value: ['sum_zp_12m', 'sum_dep_now', 'cnt_tr_all_3m'],
        reference: 'super_clust',
        exclude: ['super_clust'],
      };
    case 'santander':
      return {
        format,
        pipeline: {
          numeric: SANTANDER_SEGMENT_NUMERIC,
          categorical: ['segmento', 'sexo'],
          scaler: 'standard',
          imputer: 'median',
          encoding: 'onehot',
        },
        missingTokens: [],
        rfm: null,
        value: ['n_products', 'renta'],
        reference: null,
        exclude: ['fecha_dato', 'ncodpers'],
      };
    case 'generic':
      return {
        format,
        pipeline: { numeric: [], categorical: [], scaler: 'standard', imputer: 'median', encoding: 'onehot' },
        missingTokens: [],
        rfm: null,
        value: [],
        reference: null,
        exclude: [],
      };
    default:
      return assertNever(format, 'format');
  }
}

export function detectFormat(columns: readonly string[]): SegmentFormat {
  const has = (...names: string[]) => names.every((n) => columns.includes(n));
  if (has('ncodpers', 'fecha_dato', 'ind_cco_fin_ult1')) return 'santander';
  if (has('qnt_months_from_last_visit', 'cnt_tr_all_3m')) return 'yakutia';
  if (has('job', 'housing', 'loan', 'marital')) return 'bank';
  return 'generic';
}

/**
 * The pipeline for a format and an optional feature list: listed columns keep the format's
 * typing when it has one, others are typed from the data (numeric text → numeric).
 */
export function featurePipeline(
  spec: FormatSpec,
  set: ColumnSet,
  features?: readonly string[],
): PipelineOptions {
  const base = spec.pipeline;
  let chosen = features ? [...features] : [...base.numeric, ...base.categorical];
  if (chosen.length === 0) {
    // Generic input without --features: every column but obvious identifiers and excluded ones.
    chosen = set.columns.filter(
      (c) => !spec.exclude.includes(c) && !/^(id|client_?id|customer_?id)$/i.test(c),
    );
  }
  const missing = chosen.filter((c) => !set.columns.includes(c));
  if (missing.length)
    throw new AppError(
      'ARGUMENT_INVALID',
      `--features: no column ${missing.map((m) => JSON.stringify(m)).join(', ')} (columns: ${set.columns.join(', ')})`,
    );
  const numeric: string[] = [];
  const categorical: string[] = [];
  for (const c of chosen) {
    if (base.numeric.includes(c)) numeric.push(c);
    else if (base.categorical.includes(c)) categorical.push(c);
    else if (inferColumnType(set, c) === 'numeric') numeric.push(c);
    else categorical.push(c);
  }
  return { ...base, numeric, categorical };
}
