/**
 * Minimal streaming reader for the Santander CSV layout (plain or `.gz`), used to measure the real
 * files and to check generated ones. Fields may be double-quoted (`"CORUÑA, A"`); `raw` keeps the
 * quotes and padding exactly as written, otherwise quotes are removed and nothing else is touched.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** Splits one CSV line. `raw` keeps surrounding quotes of quoted fields. */
export function splitCsvLine(line: string, raw = false): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += raw ? '""' : '"';
        i++;
      } else {
        quoted = !quoted;
        if (raw) cur += ch;
      }
    } else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

/** Calls `onRow` for every data line of `file`; resolves with the header (unquoted). */
export async function forEachCsvRow(
  file: string,
  onRow: (fields: string[]) => void,
  options: { raw?: boolean } = {},
): Promise<string[]> {
  const raw = options.raw ?? false;
  const source = createReadStream(file);
  const input = file.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: string[] | undefined;
  for await (const line of lines) {
    if (header === undefined) {
      header = splitCsvLine(line);
      continue;
    }
    if (line.length > 0) onRow(splitCsvLine(line, raw));
  }
  return header ?? [];
}

/** The first line of a file, exactly as written (without the newline). */
export async function readFirstLine(file: string): Promise<string> {
  const source = createReadStream(file);
  const input = file.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    source.destroy();
    return line;
  }
  return '';
}
