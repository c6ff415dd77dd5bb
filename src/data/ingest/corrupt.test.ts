import { readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetDir } from './dataset.js';
import { ingest } from './ingest.js';
import { HEAD_FILE, headLines, tempDir } from './fixtures.test-util.js';

/** Snapshot of everything the live dataset is made of. */
async function snapshot(dataDir: string): Promise<string> {
  const dir = datasetDir(dataDir, 'santander');
  const current = (await readFile(path.join(dir, 'CURRENT'), 'utf8')).trim();
  const vdir = path.join(dir, 'versions', current);
  const manifest = await readFile(path.join(vdir, 'manifest.json'), 'utf8');
  const files = (await readdir(vdir, { recursive: true })).sort();
  return JSON.stringify({ current, manifest, files });
}

describe('corrupt input never damages the existing dataset', () => {
  let dataDir: string;
  let before: string;
  beforeAll(async () => {
    dataDir = await tempDir();
    await ingest(HEAD_FILE, { dataDir, threads: 1 });
    before = await snapshot(dataDir);
  });

  async function expectRejected(file: string, code: string, message: RegExp) {
    const err = await ingest(file, { dataDir, threads: 1, replace: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
    expect(await snapshot(dataDir)).toBe(before);
    const leftovers = (await readdir(path.join(dataDir, 'datasets'))).filter((e) =>
      e.startsWith('.staging-'),
    );
    expect(leftovers).toEqual([]);
  }

  it('truncated gzip', async () => {
    const gz = gzipSync(readFileSync(HEAD_FILE));
    const file = path.join(dataDir, 'truncated.csv.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    await expectRejected(file, 'INPUT_CORRUPT', /truncated\.csv\.gz: .*(truncated|unexpected end of file)/);
  });

  it('gzip header on non-gzip bytes', async () => {
    const file = path.join(dataDir, 'fake.csv.gz');
    writeFileSync(file, 'this is not gzip\n');
    await expectRejected(file, 'INPUT_CORRUPT', /cannot decompress/);
  });

  it('wrong header', async () => {
    const lines = headLines();
    const file = path.join(dataDir, 'wrong-header.csv');
    writeFileSync(file, [lines[0].replace('"renta"', '"income"'), ...lines.slice(1, 50)].join('\n'));
    await expectRejected(
      file,
      'HEADER_MISMATCH',
      /line 1: header does not match.*missing: renta; unexpected: "income"/,
    );
  });

  it('binary garbage', async () => {
    const file = path.join(dataDir, 'garbage.csv');
    const bytes = Buffer.alloc(200_000);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    writeFileSync(file, bytes);
    await expectRejected(file, 'INPUT_CORRUPT', /binary data|no line break|header does not match/);
  });

  it('valid header followed by garbage lines', async () => {
    const lines = headLines();
    const file = path.join(dataDir, 'mostly-garbage.csv');
    const junk = Array.from({ length: 200 }, (_, i) => `junk line ${i},x,y`);
    writeFileSync(file, [lines[0], ...lines.slice(1, 11), ...junk].join('\n'));
    await expectRejected(file, 'INPUT_CORRUPT', /of 210 lines cannot be read \(limit 50%\): line \d+: /);
  });

  it('an unclosed quote no longer swallows the following lines: that one line is quarantined', async () => {
    const lines = headLines();
    const file = path.join(dataDir, 'unclosed-quote.csv');
    writeFileSync(
      file,
      [lines[0], ...lines.slice(1, 11), 'junk,"unclosed', ...lines.slice(11, 20)].join('\n'),
    );
    const report = await ingest(file, { dataDir: await tempDir(), threads: 1 });
    expect(report.rowsIngested).toBe(19);
    expect(report.firstQuarantined).toMatchObject([{ line: 12, rule: 'bad_quoting', raw: 'junk,"unclosed' }]);
    expect(await snapshot(dataDir)).toBe(before);
  });

  it('corrupt zip', async () => {
    const file = path.join(dataDir, 'broken.zip');
    writeFileSync(file, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 7)]));
    await expectRejected(file, 'INPUT_CORRUPT', /broken\.zip: not a readable zip archive/);
  });

  it('empty, missing and unsupported files', async () => {
    const empty = path.join(dataDir, 'empty.csv');
    writeFileSync(empty, '');
    await expectRejected(empty, 'INPUT_CORRUPT', /the file is empty/);
    await expectRejected(path.join(dataDir, 'nope.csv'), 'INPUT_NOT_FOUND', /no such file/);
    const xls = path.join(dataDir, 'data.xls');
    writeFileSync(xls, 'x');
    await expectRejected(xls, 'INPUT_UNSUPPORTED', /unsupported file type/);
  });

  it('a cancelled ingest', async () => {
    const controller = new AbortController();
    const lines = headLines();
    const file = path.join(dataDir, 'cancelled.csv');
    writeFileSync(file, [lines[0], ...lines.slice(1, 2000)].join('\n'));
    controller.abort();
    const err = await ingest(
      file,
      { dataDir, threads: 1, replace: true },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INGEST_FAILED' });
    expect((err as Error).message).toMatch(/cancelled\.csv: cancelled; the dataset is unchanged/);
    expect(await snapshot(dataDir)).toBe(before);
  });
});
