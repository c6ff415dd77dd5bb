/**
 * The model file: `{ kind: 'gbdt', version: 1, … }` with node arrays as base64 of their little-endian
 * bytes. `parseGbdtJson` checks kind, version and every field before a model is rebuilt.
 */
import { AppError } from '../../errors.js';
import type { Forest } from './forest.js';
import { resolveOptions, type GbdtOptions } from './options.js';

export const GBDT_KIND = 'gbdt';
export const GBDT_VERSION = 1;

type Typed = Int32Array | Float32Array | Uint8Array;

export interface GbdtJSON {
  kind: 'gbdt';
  version: 1;
  options: GbdtOptions;
  numFeatures: number;
  /** Margin groups: 1 for binary, the number of classes for multiclass. */
  numGroups: number;
  featureNames: string[];
  baseMargin: number[];
  bestIteration: number;
  evalHistory: number[];
  trees: Record<keyof Forest, string>;
}

const TREE_FIELDS: Record<keyof Forest, new (b: ArrayBuffer) => Typed> = {
  roots: Int32Array,
  feature: Int32Array,
  threshold: Float32Array,
  defaultLeft: Uint8Array,
  left: Int32Array,
  right: Int32Array,
  value: Float32Array,
  cover: Float32Array,
  gain: Float32Array,
};

export function encodeTyped(a: Typed): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decodeTyped<T extends Typed>(s: string, Ctor: new (b: ArrayBuffer) => T, field: string): T {
  const buf = Buffer.from(s, 'base64');
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf);
  const per = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (bytes.byteLength % per !== 0) bad(`trees.${field} is not a whole number of elements`);
  return new Ctor(bytes.buffer);
}

function bad(message: string): never {
  throw new AppError('ARGUMENT_INVALID', `gbdt model: ${message}`);
}

export function encodeForest(f: Forest): Record<keyof Forest, string> {
  const out = {} as Record<keyof Forest, string>;
  for (const k of Object.keys(TREE_FIELDS) as (keyof Forest)[]) out[k] = encodeTyped(f[k]);
  return out;
}

export interface ParsedModel {
  json: GbdtJSON;
  options: GbdtOptions;
  forest: Forest;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates a parsed model file and decodes its trees. */
export function parseGbdtJson(json: unknown): ParsedModel {
  if (typeof json !== 'object' || json === null) bad('expected an object');
  const j = json as Partial<GbdtJSON>;
  if (j.kind !== GBDT_KIND) bad(`kind must be '${GBDT_KIND}', got ${String(j.kind)}`);
  if (j.version !== GBDT_VERSION)
    bad(`unsupported format version ${String(j.version)} (expected ${GBDT_VERSION})`);
  const options = resolveOptions(j.options);
  if (!isNum(j.numFeatures) || !Number.isInteger(j.numFeatures) || j.numFeatures < 1)
    bad('numFeatures is invalid');
  if (!isNum(j.numGroups) || !Number.isInteger(j.numGroups) || j.numGroups < 1) bad('numGroups is invalid');
  if (!Array.isArray(j.featureNames) || j.featureNames.length !== j.numFeatures) bad('featureNames length');
  if (!Array.isArray(j.baseMargin) || j.baseMargin.length !== j.numGroups || !j.baseMargin.every(isNum)) {
    bad('baseMargin must hold one number per group');
  }
  if (!Array.isArray(j.evalHistory) || !isNum(j.bestIteration)) bad('evalHistory/bestIteration missing');
  if (typeof j.trees !== 'object' || j.trees === null) bad('trees missing');
  const trees = j.trees as Record<string, unknown>;
  const forest = {} as Record<keyof Forest, Typed>;
  for (const [k, Ctor] of Object.entries(TREE_FIELDS) as [keyof Forest, new (b: ArrayBuffer) => Typed][]) {
    const s = trees[k];
    if (typeof s !== 'string') bad(`trees.${k} must be a base64 string`);
    forest[k] = decodeTyped(s, Ctor, k);
  }
  const f = forest as unknown as Forest;
  const nodes = f.feature.length;
  for (const k of Object.keys(TREE_FIELDS) as (keyof Forest)[]) {
    if (k !== 'roots' && f[k].length !== nodes)
      bad(`trees.${k} has ${f[k].length} entries for ${nodes} nodes`);
  }
  if (f.roots.length % j.numGroups !== 0) bad('tree count is not a multiple of numGroups');
  for (let i = 0; i < f.roots.length; i++)
    if (f.roots[i] < 0 || f.roots[i] >= nodes) bad(`root ${i} out of range`);
  for (let i = 0; i < nodes; i++) {
    if (f.feature[i] >= j.numFeatures) bad(`node ${i} splits on feature ${f.feature[i]}`);
    if (f.feature[i] >= 0 && !(f.left[i] > i && f.left[i] < nodes && f.right[i] > i && f.right[i] < nodes)) {
      bad(`node ${i} has children out of range`);
    }
  }
  return { json: j as GbdtJSON, options, forest: f };
}
