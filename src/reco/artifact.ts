/**
 * One-file artifact of a `Recommender`: `NXREC001` magic, a little-endian u32 header length, the
 * JSON header (format version, model, store shape), then the client store's typed arrays
 * (ids, masks, attributes) 4-byte aligned. Loading checks the magic, kind and version.
 */
import { AppError } from '../errors.js';
import { ATTRIBUTES } from './history.js';
import { RecoModel, type RecoModelJson } from './model.js';
import { Recommender } from './recommender.js';

const MAGIC = 'NXREC001';
/** Name of the recommender in the model registry. */
export const RECO_MODEL_NAME = 'reco';

export const RECOMMENDER_FORMAT = 1;

interface Header {
  kind: 'nextoffer.recommender';
  version: number;
  lastMonth: string;
  clients: number;
  lags: number;
  attributes: readonly string[];
  model: RecoModelJson;
}

const align4 = (n: number) => (n + 3) & ~3;

export function recommenderToBytes(r: Recommender): Uint8Array {
  const header: Header = {
    kind: 'nextoffer.recommender',
    version: RECOMMENDER_FORMAT,
    lastMonth: r.store.lastMonth,
    clients: r.store.clients.length,
    lags: r.model.parts.features.lags,
    attributes: ATTRIBUTES,
    model: r.model.toJSON(),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = align4(8 + 4 + json.length);
  const sections = [r.store.clients, r.store.masks, r.store.attributes];
  const total = start + sections.reduce((s, a) => s + a.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  let at = start;
  for (const a of sections) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

export function recommenderFromBytes(bytes: Uint8Array, modelVersion: number | null = null): Recommender {
  const bad = (why: string) => new AppError('ARGUMENT_INVALID', `not a recommender artifact: ${why}`);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw bad('wrong magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(8, true);
  if (12 + len > bytes.length) throw bad('truncated header');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as Header;
  } catch (e) {
    throw new AppError('ARGUMENT_INVALID', 'not a recommender artifact: header is not JSON', { cause: e });
  }
  if (header.kind !== 'nextoffer.recommender') throw bad(`kind ${String(header.kind)}`);
  if (header.version !== RECOMMENDER_FORMAT)
    throw bad(`format ${header.version}, this build reads ${RECOMMENDER_FORMAT}`);
  if (header.attributes.join() !== ATTRIBUTES.join()) throw bad('attribute layout differs from this build');
  const n = header.clients;
  const A = ATTRIBUTES.length;
  const need = n * 4 + n * header.lags * 4 + n * A * 4;
  const start = align4(12 + len);
  if (start + need !== bytes.length) throw bad(`expected ${start + need} bytes, got ${bytes.length}`);
  // Copy into fresh aligned buffers (the input may be a Buffer view into a shared pool, at any offset).
  const take = (offset: number, count: number) => {
    const copy = new Uint8Array(count * 4);
    copy.set(bytes.subarray(start + offset, start + offset + count * 4));
    return copy.buffer;
  };
  const clients = new Int32Array(take(0, n));
  const masks = new Int32Array(take(n * 4, n * header.lags));
  const attributes = new Float32Array(take(n * 4 + n * header.lags * 4, n * A));
  const model = RecoModel.fromJSON(header.model);
  return new Recommender(model, { clients, masks, attributes, lastMonth: header.lastMonth }, modelVersion);
}
