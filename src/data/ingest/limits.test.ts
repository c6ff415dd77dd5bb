import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from './ingest.js';
import { csvField } from './quarantine.js';
import { headLines, tempDir } from './fixtures.test-util.js';

/** A zip of the header and `lines` copies of one data line (deflate squeezes it ~1000 times). */
function zipOfRepeatedLine(file: string, lines: number): void {
  const [header, row] = headLines();
  execFileSync('python3', [
    '-c',
    `import zipfile,sys
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
with z.open('train_ver2.csv','w') as f:
  f.write((sys.argv[2]+'\\n').encode())
  b=((sys.argv[3]+'\\n')*1000).encode()
  for _ in range(int(sys.argv[4])//1000): f.write(b)
z.close()`,
    file,
    header,
    row,
    String(lines),
  ]);
}

describe('zip expansion limits', () => {
  it('a zip bomb is refused by the ratio limit, naming it, leaving no file behind', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bomb.zip');
    zipOfRepeatedLine(file, 30_000); // ~8 MiB of CSV
    const dataDir = path.join(dir, 'data');
    const err = await ingest(file, { dataDir, threads: 1, limits: { zipMaxRatio: 50 } }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((err as Error).message).toMatch(
      /bomb\.zip: train_ver2\.csv expands \d+ times its compressed size, over the limit ratio of 50 \(NEXTOFFER_INGEST_ZIP_MAX_RATIO\)/,
    );
    expect(readdirSync(path.join(dataDir, 'datasets'))).toEqual([]);
    expect(existsSync(path.join(dataDir, 'datasets', 'santander'))).toBe(false);
  });

  it('a zip over the absolute size limit is refused naming NEXTOFFER_INGEST_ZIP_MAX_MIB', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'big.zip');
    zipOfRepeatedLine(file, 30_000);
    const dataDir = path.join(dir, 'data');
    const err = await ingest(file, {
      dataDir,
      threads: 1,
      limits: { zipMaxRatio: 1e6, zipMaxBytes: 2 * 1024 * 1024 },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((err as Error).message).toMatch(/over the limit of 2 MiB \(NEXTOFFER_INGEST_ZIP_MAX_MIB\)/);
    expect(readdirSync(path.join(dataDir, 'datasets'))).toEqual([]);
  });

  it('the same zip under the limits is ingested', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'ok.zip');
    zipOfRepeatedLine(file, 2_000);
    const report = await ingest(file, {
      dataDir: path.join(dir, 'data'),
      threads: 1,
      limits: { zipMaxRatio: 1e4 },
    });
    expect(report.rowsIngested).toBe(2_000);
  });
});

describe('quarantine.csv cells', () => {
  it('escapes formula-leading cells (OWASP CSV injection) and quotes as CSV', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe(`"'\rx"`);
    expect(csvField('2015-01-28,1,a')).toBe('"2015-01-28,1,a"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes an injected line of a real ingest escaped', async () => {
    const dir = await tempDir();
    const lines = headLines();
    const file = path.join(dir, 'inject.csv');
    writeFileSync(file, [lines[0], ...lines.slice(1, 40), '=cmd|calc!A1', ...lines.slice(40, 60)].join('\n'));
    const report = await ingest(file, { dataDir: path.join(dir, 'data'), threads: 1 });
    const { readFileSync } = await import('node:fs');
    const q = readFileSync(report.quarantineFile!, 'utf8').split('\n');
    expect(q[1]).toMatch(/^41,[a-z_]+,.*,'=cmd\|calc!A1$/);
  });
});

describe('problem lines are quarantined with their exact line number', () => {
  async function run(name: string, body: Buffer, maxLineBytes?: number) {
    const dir = await tempDir();
    const file = path.join(dir, name);
    writeFileSync(file, body);
    const report = await ingest(file, {
      dataDir: path.join(dir, 'data'),
      threads: 1,
      limits: maxLineBytes ? { maxLineBytes } : {},
    });
    const { readFileSync } = await import('node:fs');
    return { report, csv: readFileSync(report.quarantineFile!, 'utf8').split('\n') };
  }
  const lines = headLines();
  const join = (parts: (string | Buffer)[]) =>
    Buffer.concat(parts.flatMap((p) => [Buffer.isBuffer(p) ? p : Buffer.from(p), Buffer.from('\n')]));

  it('a line over the limit is line_too_long, the rest ingested', async () => {
    const long = `${lines[5]},${'x'.repeat(300_000)}`;
    const { report, csv } = await run(
      'long.csv',
      join([lines[0], ...lines.slice(1, 300), long, ...lines.slice(300, 400)]),
      64 * 1024,
    );
    expect(report.rowsIngested).toBe(399);
    expect(report.firstQuarantined).toMatchObject([{ line: 301, rule: 'line_too_long' }]);
    expect(csv[1]).toMatch(/^301,line_too_long,/);
    expect(csv[1].length).toBeLessThan(400); // only the first bytes of the line are kept
  });

  it('one Latin-1 line in a UTF-8 file is invalid_utf8, not the file refused', async () => {
    const latin1 = Buffer.from(
      lines[7].replace('ES,', 'ES,').replace(/,"?[A-Z ]+"?,/, ',"CORUÑA, A",'),
      'latin1',
    );
    const { report, csv } = await run(
      'latin1.csv',
      join([lines[0], ...lines.slice(1, 6000), latin1, ...lines.slice(6000, 7000)]),
    );
    expect(report.source.encoding).toBe('utf-8');
    expect(report.rowsIngested).toBe(6999);
    expect(report.firstQuarantined).toMatchObject([{ line: 6001, rule: 'invalid_utf8' }]);
    expect(csv[1]).toMatch(/^6001,invalid_utf8,/);
  });

  it('an unclosed quote at line 202 is quarantined as line 202', async () => {
    const { report, csv } = await run(
      'quote.csv',
      join([lines[0], ...lines.slice(1, 201), lines[201].replace(',', ',"'), ...lines.slice(202, 400)]),
    );
    expect(report.rowsIngested).toBe(398);
    expect(report.firstQuarantined).toMatchObject([{ line: 202, rule: 'bad_quoting' }]);
    expect(csv[1]).toMatch(/^202,bad_quoting,/);
  });
});
