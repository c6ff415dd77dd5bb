/**
 * Client files for `nextoffer offers --clients`: xlsx or CSV feature tables (literal `NULL` read as
 * missing), or JSON — an array of feature objects, or of `{client_id, features}`. The client id is the
 * `client_id` (or Santander `ncodpers`) column when there is one, else the 1-based row number.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readTable, tableRecords } from '../data/tables.js';
import { AppError, errorMessage } from '../errors.js';

export interface ClientRecord {
  client_id: number;
  features: Record<string, unknown>;
}

function idOf(raw: unknown, fallback: number, where: string): number {
  if (raw === undefined || raw === null) return fallback;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new AppError('INPUT_CORRUPT', `${where}: client_id ${JSON.stringify(raw)} is not an integer`);
  return n;
}

export async function loadClients(file: string): Promise<ClientRecord[]> {
  if (path.extname(file).toLowerCase() !== '.json') {
    const records = tableRecords(await readTable(file));
    return records.map((r, i) => ({
      client_id: idOf(r.client_id ?? r.ncodpers, i + 1, `${file}: row ${i + 2}`),
      features: r,
    }));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new AppError('INPUT_CORRUPT', `${file}: not readable JSON (${errorMessage(e)})`, { cause: e });
  }
  if (!Array.isArray(raw)) throw new AppError('INPUT_CORRUPT', `${file}: must be a JSON array of clients`);
  return raw.map((x: unknown, i) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x))
      throw new AppError('INPUT_CORRUPT', `${file}: [${i}] must be an object`);
    const o = x as Record<string, unknown>;
    if (o.features !== undefined) {
      if (typeof o.features !== 'object' || o.features === null || Array.isArray(o.features))
        throw new AppError('INPUT_CORRUPT', `${file}: [${i}].features must be an object`);
      return {
        client_id: idOf(o.client_id, i + 1, `${file}: [${i}]`),
        features: o.features as Record<string, unknown>,
      };
    }
    return { client_id: idOf(o.client_id, i + 1, `${file}: [${i}]`), features: o };
  });
}
