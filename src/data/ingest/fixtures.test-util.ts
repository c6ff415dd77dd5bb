/** Test helpers: fixture files built from the real head file, and a naive CSV reader as reference. */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const SHARED = path.resolve(import.meta.dirname, '../../../../shared/data/santander');
export const HEAD_FILE = path.join(SHARED, 'train_ver2_head.csv');

export function tempDir(prefix = 'nextoffer-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Lines of the real head file (header first), without line breaks. */
export function headLines(): string[] {
  return readFileSync(HEAD_FILE, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** Naive reference CSV split: commas outside double quotes, quotes removed. */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
