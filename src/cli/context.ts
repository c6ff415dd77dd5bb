/** Shared plumbing of CLI commands: config with flag overrides, output mode, database access. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { loadConfig, type Config } from '../config.js';
import { AppError } from '../errors.js';
import { openDatabase, type Database } from '../store/db.js';

export interface CommonFlags {
  dataDir?: string;
  json?: boolean;
}

export function configWith(flags: CommonFlags): Config {
  const config = loadConfig();
  return flags.dataDir
    ? { ...config, dataDir: loadConfig({ NEXTOFFER_DATA_DIR: flags.dataDir }).dataDir }
    : config;
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses an integer flag, naming the flag on error. */
export function intFlag(name: string, raw: string | undefined, min = 0): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new AppError('ARGUMENT_INVALID', `--${name} ${JSON.stringify(raw)}: must be an integer ≥ ${min}`);
  return Number(raw);
}

export function numberFlag(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max)
    throw new AppError(
      'ARGUMENT_INVALID',
      `--${name} ${JSON.stringify(raw)}: must be a number in ${min}..${max}`,
    );
  return v;
}

export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function sha256File(file: string): Promise<string | null> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}
