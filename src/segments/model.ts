/**
 * The saved segmentation: preprocessing pipeline, k-means centres, the rule tree and the
 * segment names, as one JSON artifact (kind `segment-model`, version 1). `assign` places one
 * client online: the tree's segment and the conditions of the rule it satisfied.
 */
import { AppError } from '../errors.js';
import { KMeans, type KMeansJSON } from '../ml/kmeans.js';
import { toCategory } from '../ml/preprocessing/columns.js';
import { ColumnPipeline, type PipelineJSON } from '../ml/preprocessing/pipeline.js';
import { DecisionTreeClassifier, type TreeJSON } from '../ml/tree.js';
import { formatCondition, type TreeRule } from '../ml/tree-rules.js';

export const SEGMENT_MODEL_KIND = 'segment-model';
export const SEGMENT_MODEL_VERSION = 1;

export interface SegmentInfo {
  segment: number;
  name: string;
  size: number;
  share: number;
  priority: number | null;
}

export interface SegmentModelJSON {
  kind: typeof SEGMENT_MODEL_KIND;
  version: typeof SEGMENT_MODEL_VERSION;
  format: string;
  missingTokens: string[];
  pipeline: PipelineJSON;
  kmeans: KMeansJSON;
  tree: TreeJSON;
  rules: TreeRule[];
  segments: SegmentInfo[];
}

export interface SegmentAssignment {
  segment: number;
  name: string;
  /** The conditions of the rule that placed the client, e.g. `job ∈ {admin., technician}`. */
  path: string[];
}

export class SegmentModel {
  readonly pipeline: ColumnPipeline;
  readonly kmeans: KMeans;
  readonly tree: DecisionTreeClassifier;
  private readonly byLeaf: Map<number, TreeRule>;

  constructor(private readonly json: SegmentModelJSON) {
    this.pipeline = ColumnPipeline.fromJSON(json.pipeline);
    this.kmeans = KMeans.fromJSON(json.kmeans);
    this.tree = DecisionTreeClassifier.fromJSON(json.tree);
    this.byLeaf = new Map(json.rules.map((r) => [r.leaf, r]));
  }

  static fromJSON(json: unknown): SegmentModel {
    const j = json as Partial<SegmentModelJSON> | null;
    if (!j || j.kind !== SEGMENT_MODEL_KIND)
      throw new AppError('ARGUMENT_INVALID', `not a segment model (kind ${JSON.stringify(j?.kind ?? null)})`);
    if (j.version !== SEGMENT_MODEL_VERSION)
      throw new AppError(
        'ARGUMENT_INVALID',
        `segment model version ${String(j.version)}, this build reads ${SEGMENT_MODEL_VERSION}`,
      );
    if (!j.pipeline || !j.kmeans || !j.tree || !Array.isArray(j.rules) || !Array.isArray(j.segments))
      throw new AppError(
        'ARGUMENT_INVALID',
        'segment model: pipeline, kmeans, tree, rules and segments are required',
      );
    return new SegmentModel(j as SegmentModelJSON);
  }

  /** Parses the registry artifact bytes. */
  static fromBytes(bytes: Uint8Array): SegmentModel {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch (e) {
      throw new AppError('ARGUMENT_INVALID', 'segment model: artifact is not JSON', { cause: e });
    }
    return SegmentModel.fromJSON(parsed);
  }

  toJSON(): SegmentModelJSON {
    return this.json;
  }

  toBytes(): Uint8Array {
    return Buffer.from(JSON.stringify(this.json));
  }

  get segments(): readonly SegmentInfo[] {
    return this.json.segments;
  }

  get format(): string {
    return this.json.format;
  }

  /** The columns a client record should carry. */
  get features(): string[] {
    return [...this.pipeline.options.numeric, ...this.pipeline.options.categorical];
  }

  private clean(features: Readonly<Record<string, unknown>>): Record<string, unknown> {
    if (this.json.missingTokens.length === 0) return { ...features };
    const out: Record<string, unknown> = { ...features };
    for (const c of this.pipeline.options.categorical) {
      const v = toCategory(out[c]);
      if (v !== null && this.json.missingTokens.includes(v)) out[c] = null;
    }
    return out;
  }

  /** The client's feature row, as the models see it. */
  featureRow(features: Readonly<Record<string, unknown>>): Float32Array {
    return this.pipeline.transformRecord(this.clean(features));
  }

  assign(features: Readonly<Record<string, unknown>>): SegmentAssignment {
    const row = this.featureRow(features);
    const leaf = this.tree.leaf(row);
    const rule = this.byLeaf.get(leaf);
    if (!rule)
      throw new AppError('ARGUMENT_INVALID', `segment model: no rule for leaf ${leaf} (corrupt artifact)`);
    const info = this.json.segments[rule.predicted];
    return {
      segment: rule.predicted,
      name: info?.name ?? `segment ${rule.predicted}`,
      path: rule.conditions.map(formatCondition),
    };
  }

  /** The nearest k-means centre (the clustering's own assignment). */
  nearestCentre(features: Readonly<Record<string, unknown>>): number {
    const row = this.featureRow(features);
    return this.kmeans.predict({ data: row, rows: 1, cols: row.length })[0];
  }
}
