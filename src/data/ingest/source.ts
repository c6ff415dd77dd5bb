/**
 * Opens an input file for ingest: checks it exists, recognises .csv / .csv.gz / .zip, extracts
 * the CSV of a zip, reads the header line and matches it against the train/test layouts, and
 * decides the text encoding. Every failure is an AppError naming the file and the problem.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { AppError, errorMessage } from '../../errors.js';
import { SANTANDER_TEST_HEADER, SANTANDER_TRAIN_HEADER } from '../santander-schema.js';
import type { Layout } from './sql.js';

export interface Source {
  /** The file the user named. */
  path: string;
  format: 'csv' | 'csv.gz' | 'zip';
  /** The CSV (or .csv.gz) DuckDB and the scanner read: the input itself, or the zip's extracted entry. */
  csvPath: string;
  gzip: boolean;
  bytes: number;
  layout: Layout;
  header: readonly string[];
  latin1: boolean;
}

const SAMPLE = 1 << 20;

/** Ingest limits (config: NEXTOFFER_INGEST_ZIP_MAX_MIB, NEXTOFFER_INGEST_ZIP_MAX_RATIO, NEXTOFFER_INGEST_MAX_LINE_BYTES). */
export interface IngestLimits {
  /** Largest size a zip's CSV may expand to, in bytes. */
  zipMaxBytes: number;
  /** Largest expanded / compressed ratio of a zip's CSV. */
  zipMaxRatio: number;
  /** Longest line in bytes; longer lines are quarantined as `line_too_long`. */
  maxLineBytes: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  zipMaxBytes: 16384 * 1024 * 1024,
  zipMaxRatio: 100,
  maxLineBytes: 1 << 20,
};

const MIB = 1024 * 1024;

function zipBomb(file: string, what: string): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `${file}: ${what}; the dataset is unchanged and nothing extracted is kept`,
  );
}

function formatOf(file: string): Source['format'] {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv.gz') || lower.endsWith('.gz')) return 'csv.gz';
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  throw new AppError('INPUT_UNSUPPORTED', `${file}: unsupported file type (expected .csv, .csv.gz or .zip)`);
}

/** First bytes of the text (decompressed for gzip). */
async function readSample(file: string, gzip: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const raw = createReadStream(file, { end: gzip ? undefined : SAMPLE - 1 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= SAMPLE) break;
    }
  } catch (e) {
    throw new AppError(
      'INPUT_CORRUPT',
      `${file}: cannot decompress (${errorMessage(e)}); is the gzip file truncated?`,
      {
        cause: e,
      },
    );
  } finally {
    raw.destroy();
  }
  return Buffer.concat(chunks).subarray(0, SAMPLE);
}

/** Matches a header line against the known layouts; the error lists what differs. */
export function matchHeader(file: string, line: string): { layout: Layout; header: readonly string[] } {
  const names = line
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '')
    .split(',')
    .map((s) =>
      s
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    );
  const same = (h: readonly string[]) => h.length === names.length && h.every((c, i) => c === names[i]);
  if (same(SANTANDER_TRAIN_HEADER)) return { layout: 'train', header: SANTANDER_TRAIN_HEADER };
  if (same(SANTANDER_TEST_HEADER)) return { layout: 'test', header: SANTANDER_TEST_HEADER };
  const expected =
    names.length <= SANTANDER_TEST_HEADER.length ? SANTANDER_TEST_HEADER : SANTANDER_TRAIN_HEADER;
  const missing = expected.filter((c) => !names.includes(c));
  const unexpected = names.filter((c) => !expected.includes(c));
  const firstDiff = expected.findIndex((c, i) => names[i] !== c);
  const parts = [
    `line 1: header does not match the Santander ${expected === SANTANDER_TRAIN_HEADER ? 'train_ver2' : 'test_ver2'} layout (${expected.length} columns, found ${names.length})`,
  ];
  if (missing.length)
    parts.push(`missing: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`);
  if (unexpected.length)
    parts.push(
      `unexpected: ${unexpected
        .slice(0, 8)
        .map((s) => JSON.stringify(s.slice(0, 40)))
        .join(', ')}${unexpected.length > 8 ? ', …' : ''}`,
    );
  if (!missing.length && !unexpected.length && firstDiff >= 0)
    parts.push(`column ${firstDiff + 1} should be ${expected[firstDiff]}, found ${names[firstDiff]}`);
  throw new AppError('HEADER_MISMATCH', `${file}: ${parts.join('; ')}`);
}

function looksBinary(sample: Buffer): number {
  const n = Math.min(sample.length, 64 * 1024);
  for (let i = 0; i < n; i++) if (sample[i] === 0) return i;
  return -1;
}

/**
 * Is the text UTF-8? Counted per line of the sample holding non-ASCII bytes: Latin-1 when more of
 * them are invalid UTF-8 than valid, so one Latin-1 line in a UTF-8 file is that line's problem
 * (quarantined as `invalid_utf8`), not the file's encoding.
 */
function isUtf8Text(sample: Buffer): boolean {
  let valid = 0;
  let invalid = 0;
  let start = 0;
  while (start < sample.length) {
    let end = sample.indexOf(10, start);
    const last = end < 0;
    if (last) end = sample.length;
    const line = sample.subarray(start, end);
    if (line.some((b) => b >= 0x80)) {
      // The sample may end inside a multi-byte character: the last line may lose up to 3 bytes.
      let ok = isUtf8(line);
      for (let cut = 1; !ok && last && cut < 4 && cut < line.length; cut++)
        ok = isUtf8(line.subarray(0, line.length - cut));
      if (ok) valid++;
      else invalid++;
    }
    start = end + 1;
  }
  return invalid <= valid;
}

async function extractZip(file: string, workDir: string, limits: IngestLimits): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
  ).catch((e: unknown) => {
    throw new AppError('INPUT_CORRUPT', `${file}: not a readable zip archive (${errorMessage(e)})`, {
      cause: e,
    });
  });
  try {
    const entries: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (
          !entry.fileName.endsWith('/') &&
          /\.csv$/i.test(entry.fileName) &&
          !entry.fileName.startsWith('__MACOSX/')
        )
          entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    if (entries.length !== 1)
      throw new AppError(
        'INPUT_UNSUPPORTED',
        `${file}: a zip must hold exactly one .csv file, found ${entries.length}`,
      );
    const entry = entries[0];
    const out = path.join(workDir, 'source.csv');
    const compressed = Math.max(1, entry.compressedSize);
    const maxBytes = Math.min(limits.zipMaxBytes, limits.zipMaxRatio * compressed);
    const limitText = (n: number, atLeast: boolean) =>
      limits.zipMaxBytes <= limits.zipMaxRatio * compressed
        ? `expands to ${atLeast ? 'at least ' : ''}${(n / MIB).toFixed(0)} MiB, over the limit of ${(limits.zipMaxBytes / MIB).toFixed(0)} MiB (NEXTOFFER_INGEST_ZIP_MAX_MIB)`
        : `expands ${atLeast ? 'at least ' : ''}${(n / compressed).toFixed(0)} times its compressed size, over the limit ratio of ${limits.zipMaxRatio} (NEXTOFFER_INGEST_ZIP_MAX_RATIO)`;
    // The size the zip declares is checked first; the bytes really inflated are counted too.
    if (entry.uncompressedSize > maxBytes)
      throw zipBomb(file, `${entry.fileName} ${limitText(entry.uncompressedSize, false)}`);
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))),
    );
    let total = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        total += chunk.length;
        if (total > maxBytes) done(zipBomb(file, `${entry.fileName} ${limitText(total, true)}`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(stream, counter, createWriteStream(out));
    } catch (e) {
      await rm(out, { force: true });
      throw e;
    }
    return out;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INPUT_CORRUPT', `${file}: cannot extract the zip (${errorMessage(e)})`, { cause: e });
  } finally {
    zip.close();
  }
}

/** Opens and validates an input; `workDir` receives a zip's extracted CSV. */
export async function openSource(
  file: string,
  workDir: string,
  limits: IngestLimits = DEFAULT_LIMITS,
): Promise<Source> {
  const st = await stat(file).catch(() => null);
  if (!st || !st.isFile()) throw new AppError('INPUT_NOT_FOUND', `${file}: no such file`);
  const format = formatOf(file);
  const csvPath = format === 'zip' ? await extractZip(file, workDir, limits) : file;
  const gzip = format === 'csv.gz';
  const sample = await readSample(csvPath, gzip);
  if (sample.length === 0) throw new AppError('INPUT_CORRUPT', `${file}: the file is empty`);
  const zeroAt = looksBinary(sample);
  if (zeroAt >= 0)
    throw new AppError(
      'INPUT_CORRUPT',
      `${file}: binary data (a NUL byte at offset ${zeroAt}); not a CSV file`,
    );
  const nl = sample.indexOf(10);
  if (nl < 0 && sample.length >= SAMPLE)
    throw new AppError('INPUT_CORRUPT', `${file}: no line break in the first MiB; not a CSV file`);
  const latin1 = !isUtf8Text(sample);
  const headerLine = sample.toString(latin1 ? 'latin1' : 'utf8', 0, nl < 0 ? sample.length : nl);
  const { layout, header } = matchHeader(file, headerLine);
  return { path: file, format, csvPath, gzip, bytes: st.size, layout, header, latin1 };
}
