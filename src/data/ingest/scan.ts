/**
 * One streaming pass over the raw bytes of an input file, run beside DuckDB's own read:
 * SHA-256 of the file as stored (the dataset manifest's checksum), the number of lines, the
 * blank lines DuckDB skips silently, and the lines whose key fields (`fecha_dato`, `ncodpers`)
 * cannot be read — the ones ingest quarantines with their line number.
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface ScanResult {
  sha256: string;
  /** Bytes of the file as stored (compressed for .gz). */
  bytes: number;
  /** Physical lines including the header. A last line without a newline counts. */
  lines: number;
  /** 1-based numbers of empty lines. */
  blankLines: number[];
  /** Lines with an unreadable key, in file order. */
  badKeys: { line: number; rule: KeyRule; raw: string }[];
  /** Data lines with a field that starts or ends with a space (outside quotes). */
  paddedLines: number;
  /**
   * Lines the CSV reader must not see, in file order: longer than `maxLineBytes` (never buffered:
   * `raw` is their first bytes), not valid UTF-8 in a UTF-8 file, or with an odd number of quotes
   * (an unclosed quote, which would swallow the following lines).
   */
  problems: { line: number; rule: LineRule; raw: string }[];
  /** Is line n (1-based) padded? For excluding quarantined lines from the padding count. */
  isPadded(line: number): boolean;
}

export type KeyRule = 'fecha_dato_invalid' | 'ncodpers_missing';
export type LineRule = 'line_too_long' | 'invalid_utf8' | 'bad_quoting';

/** Bytes of a too-long line kept for the quarantine file. */
const RAW_PREFIX = 200;

export interface ScanOptions {
  gzip: boolean;
  latin1: boolean;
  /** Longest line in bytes (without its line break); longer lines are problems. */
  maxLineBytes: number;
  /** Called at the first problem line (ingest stops the CSV reader, which will be rerun). */
  onProblem?: () => void;
  onBytes?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

const NL = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;
const SPACE = 32;

/** Bounds of one CSV field [start, end) with spaces and one pair of quotes removed. */
function unwrap(buf: Buffer, start: number, end: number): [number, number] {
  while (start < end && buf[start] === SPACE) start++;
  while (end > start && buf[end - 1] === SPACE) end--;
  if (end - start >= 2 && buf[start] === QUOTE && buf[end - 1] === QUOTE) {
    start++;
    end--;
    while (start < end && buf[start] === SPACE) start++;
    while (end > start && buf[end - 1] === SPACE) end--;
  }
  return [start, end];
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isDigit = (c: number) => c >= 48 && c <= 57;

/** `YYYY-MM-DD` naming a real calendar day: the same rule as the SQL key check. */
export function isValidDateField(buf: Buffer, start: number, end: number): boolean {
  if (end - start !== 10 || buf[start + 4] !== 45 || buf[start + 7] !== 45) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(buf[start + i])) return false;
  const num = (a: number, n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 10 + (buf[start + a + i] - 48);
    return v;
  };
  const y = num(0, 4);
  const m = num(5, 2);
  const d = num(8, 2);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[m - 1]);
}

/** 1 to 9 digits, not all zeros: the same rule as the SQL key check. */
export function isValidIdField(buf: Buffer, start: number, end: number): boolean {
  const n = end - start;
  if (n < 1 || n > 9) return false;
  let nonZero = false;
  for (let i = start; i < end; i++) {
    if (!isDigit(buf[i])) return false;
    if (buf[i] !== 48) nonZero = true;
  }
  return nonZero;
}

/** Does a field of the line [start, end) start or end with a space outside quotes? */
function hasPadding(buf: Buffer, start: number, end: number): boolean {
  let pos = start;
  let quotes = 0;
  let counted = start;
  for (;;) {
    const sp = buf.indexOf(SPACE, pos);
    if (sp < 0 || sp >= end) return false;
    for (; counted < sp; counted++) if (buf[counted] === QUOTE) quotes++;
    if ((quotes & 1) === 0) {
      const prev = sp === start ? COMMA : buf[sp - 1];
      const next = sp + 1 === end ? COMMA : buf[sp + 1];
      if (prev === COMMA || next === COMMA || next === QUOTE) return true;
    }
    pos = sp + 1;
  }
}

/** Scans one complete line [start, end) (no newline) and records it if its key is unreadable. */
function checkKey(buf: Buffer, start: number, end: number): KeyRule | null {
  const c1 = buf.indexOf(COMMA, start);
  if (c1 < 0 || c1 >= end) return 'fecha_dato_invalid';
  const [ds, de] = unwrap(buf, start, c1);
  if (!isValidDateField(buf, ds, de)) return 'fecha_dato_invalid';
  let c2 = buf.indexOf(COMMA, c1 + 1);
  if (c2 < 0 || c2 > end) c2 = end;
  const [is, ie] = unwrap(buf, c1 + 1, c2);
  return isValidIdField(buf, is, ie) ? null : 'ncodpers_missing';
}

/** Why the line [start, end) (no line break) must be kept from the CSV reader, if it must. */
function lineProblem(
  buf: Buffer,
  start: number,
  end: number,
  options: ScanOptions,
  trusted: boolean,
): LineRule | null {
  if (end - start > options.maxLineBytes) return 'line_too_long';
  let quotes = 0;
  for (let q = buf.indexOf(QUOTE, start); q >= 0 && q < end; q = buf.indexOf(QUOTE, q + 1)) quotes++;
  if (quotes & 1) return 'bad_quoting';
  if (!trusted && !isUtf8(buf.subarray(start, end))) return 'invalid_utf8';
  return null;
}

export async function scanFile(file: string, options: ScanOptions): Promise<ScanResult> {
  const hash = createHash('sha256');
  const raw = createReadStream(file, { highWaterMark: 4 << 20, signal: options.signal });
  let bytes = 0;
  raw.on('data', (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(b);
    bytes += b.length;
    options.onBytes?.(bytes);
  });
  const text: Readable = options.gzip ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (options.gzip) raw.on('error', (e) => text.destroy(e));

  let line = 0; // number of the line being read (1-based once started)
  const blankLines: number[] = [];
  const badKeys: ScanResult['badKeys'] = [];
  const problems: ScanResult['problems'] = [];
  let longLine: Buffer | null = null; // first bytes of the too-long line being skipped
  let carry: Buffer = Buffer.alloc(0);
  let paddedLines = 0;
  let padded = new Uint8Array(1 << 16);

  const handle = (buf: Buffer, start: number, end: number) => {
    line++;
    let e = end;
    if (e > start && buf[e - 1] === CR) e--;
    if (e === start) {
      blankLines.push(line);
      return;
    }
    if (line === 1) return; // header, validated separately
    const problem = lineProblem(buf, start, e, options, trusted);
    if (problem) {
      if (problems.length === 0) options.onProblem?.();
      problems.push({ line, rule: problem, raw: buf.toString(options.latin1 ? 'latin1' : 'utf8', start, e) });
      return;
    }
    if (hasPadding(buf, start, e)) {
      paddedLines++;
      if (line >> 3 >= padded.length) {
        const grown = new Uint8Array(padded.length * 2);
        grown.set(padded);
        padded = grown;
      }
      padded[line >> 3] |= 1 << (line & 7);
    }
    const rule = checkKey(buf, start, e);
    if (rule) badKeys.push({ line, rule, raw: buf.toString(options.latin1 ? 'latin1' : 'utf8', start, e) });
  };

  const max = options.maxLineBytes;
  const tooLong = (head: Buffer) => {
    line++;
    if (problems.length === 0) options.onProblem?.();
    const raw = head.toString(options.latin1 ? 'latin1' : 'utf8').replace(/\uFFFD$/, '');
    problems.push({ line, rule: 'line_too_long', raw: `${raw}…` });
  };
  let trusted = options.latin1; // every line of the chunk is known valid text
  for await (const chunk of text) {
    const buf = chunk as Buffer;
    let pos = 0;
    trusted = options.latin1; // a line joined across chunks is checked on its own
    if (longLine || carry.length > 0) {
      const nl = buf.indexOf(NL);
      if (longLine) {
        if (nl < 0) continue; // still inside the long line: its bytes are never kept
        tooLong(longLine);
        longLine = null;
      } else if (nl < 0 || carry.length + nl > max + 1) {
        if (carry.length + (nl < 0 ? buf.length : nl) > max + 1) {
          const head = Buffer.concat([carry, buf.subarray(0, RAW_PREFIX)]).subarray(0, RAW_PREFIX);
          carry = Buffer.alloc(0);
          if (nl < 0) {
            longLine = head;
            continue;
          }
          tooLong(head);
        } else {
          carry = Buffer.concat([carry, buf]);
          continue;
        }
      } else {
        const joined = Buffer.concat([carry, buf.subarray(0, nl)]);
        handle(joined, 0, joined.length);
      }
      carry = Buffer.alloc(0);
      pos = nl + 1;
    }
    trusted = options.latin1 || isUtf8(buf);
    for (;;) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) break;
      if (nl - pos > max + 1) tooLong(buf.subarray(pos, pos + RAW_PREFIX));
      else handle(buf, pos, nl);
      pos = nl + 1;
    }
    if (pos < buf.length) {
      if (buf.length - pos > max + 1) longLine = Buffer.from(buf.subarray(pos, pos + RAW_PREFIX));
      else carry = Buffer.from(buf.subarray(pos));
    }
  }
  if (longLine) tooLong(longLine);
  else if (carry.length > 0) handle(carry, 0, carry.length);
  const bitmap = padded;
  return {
    sha256: hash.digest('hex'),
    bytes,
    lines: line,
    blankLines,
    badKeys,
    problems,
    paddedLines,
    isPadded: (n: number) => n >> 3 < bitmap.length && (bitmap[n >> 3] & (1 << (n & 7))) !== 0,
  };
}
