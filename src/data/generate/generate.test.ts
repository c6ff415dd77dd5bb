import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { SANTANDER_TRAIN_HEADER, addMonths } from '../santander-schema.js';
import { forEachCsvRow, readFirstLine } from './csv-read.js';
import { checkGenerateOptions, generateSantanderCsv } from './generate.js';
import { writeSantanderCsv } from './write.js';

const HEAD = path.resolve('../shared/data/santander/train_ver2_head.csv');
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

let dir = '';
let file = '';
let raw: string[][] = [];
let rows = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nextoffer-generate-'));
  file = path.join(dir, 'small.csv');
  const summary = await writeSantanderCsv(file, { customers: 3000, months: 8, seed: 11 });
  rows = summary.rows;
  raw = [];
  await forEachCsvRow(file, (f) => raw.push(f), { raw: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generated file layout', () => {
  it.skipIf(!existsSync(HEAD))('has exactly the header line of the real train_ver2.csv', async () => {
    expect(await readFirstLine(file)).toBe(await readFirstLine(HEAD));
  });

  it('has 48 fields per row and the summary row count', () => {
    expect(SANTANDER_TRAIN_HEADER).toHaveLength(48);
    expect(raw).toHaveLength(rows);
    expect(raw.every((f) => f.length === 48)).toBe(true);
  });

  it('orders rows by month then client, one row per client and month, from 2015-01-28', () => {
    expect(raw[0][0]).toBe('2015-01-28');
    expect(raw[raw.length - 1][0]).toBe(addMonths('2015-01-28', 7));
    for (let i = 1; i < raw.length; i++) {
      const [m0, id0] = [raw[i - 1][0], Number(raw[i - 1][1])];
      const [m1, id1] = [raw[i][0], Number(raw[i][1])];
      expect(m1 > m0 || (m1 === m0 && id1 > id0), `row ${i}`).toBe(true);
    }
  });

  it('pads numbers as the raw file does (widths measured on train_ver2_head.csv)', () => {
    const widths: Record<string, number> = {
      age: 3,
      ind_nuevo: 2,
      antiguedad: 7,
      indrel: 2,
      tipodom: 2,
      cod_prov: 2,
      ind_actividad_cliente: 2,
      ind_nomina_ult1: 2,
      ind_nom_pens_ult1: 2,
    };
    for (const [name, width] of Object.entries(widths)) {
      const i = SANTANDER_TRAIN_HEADER.indexOf(name);
      expect(
        raw.every((f) => f[i].length === width),
        name,
      ).toBe(true);
    }
    const age = SANTANDER_TRAIN_HEADER.indexOf('age');
    expect(raw.some((f) => /^ \d\d$/.test(f[age]))).toBe(true);
  });

  it('keeps the raw quirks: quoted nomprov, NA, blank rows, 1 and 1.0, float renta', () => {
    const col = (name: string) => SANTANDER_TRAIN_HEADER.indexOf(name);
    expect(raw.every((f) => /^".*"$/.test(f[col('nomprov')]))).toBe(true);
    const mes = new Set(raw.map((f) => f[col('indrel_1mes')]));
    expect(mes.has('1') && mes.has('1.0')).toBe(true);
    const blank = raw.filter((f) => f[col('age')] === ' NA');
    expect(blank.length).toBeGreaterThan(0);
    expect(blank[0].slice(2, 24).join(',')).toBe(',,, NA,,NA,     NA,NA,,,,,,,,,NA,NA,"",NA,,');
    expect(blank.every((f) => f[0] < '2015-07-28')).toBe(true);
    const renta = raw.map((f) => f[col('renta')]);
    expect(renta.some((r) => r === '')).toBe(true);
    expect(renta.some((r) => /\.\d{6,}$/.test(r))).toBe(true);
    expect(
      raw.some((f) => f[col('indrel')] === '99' && /^2015-07-\d\d$/.test(f[col('ult_fec_cli_1t')])),
    ).toBe(true);
    expect(raw.some((f) => f[col('antiguedad')] === '     NA')).toBe(true);
  });
});

describe('determinism', () => {
  it('gives a byte-identical file for a seed, gzip included, and another file for another seed', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const c = path.join(dir, 'c.csv');
    const gz = path.join(dir, 'a.csv.gz');
    const options = { customers: 1500, months: 6, seed: 5 };
    await writeSantanderCsv(a, options);
    await writeSantanderCsv(b, options);
    await writeSantanderCsv(c, { ...options, seed: 6 });
    const summary = await writeSantanderCsv(gz, options);
    expect(summary.gzip).toBe(true);
    expect(await sha256(a)).toBe(await sha256(b));
    expect(await sha256(a)).not.toBe(await sha256(c));
    expect(gunzipSync(await readFile(gz)).equals(await readFile(a))).toBe(true);
  });
});

describe('options and run settings', () => {
  it('reports invalid options as findings and ARGUMENT_INVALID errors', async () => {
    expect(checkGenerateOptions({ customers: 0, months: 17, seed: 1 })).toEqual([
      expect.objectContaining({ code: 'OUT_OF_RANGE', path: 'customers' }),
    ]);
    expect(checkGenerateOptions({ customers: 10, months: 1.5, seed: -1 }).map((f) => f.path)).toEqual([
      'months',
      'seed',
    ]);
    const run = writeSantanderCsv(path.join(dir, 'bad.csv'), { customers: 10, months: 0, seed: 1 });
    await expect(run).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'ARGUMENT_INVALID');
  });

  it('reports progress up to the total and stops on abort without leaving a file', async () => {
    const seen: [number, number][] = [];
    await writeSantanderCsv(
      path.join(dir, 'progress.csv'),
      { customers: 500, months: 3, seed: 1 },
      {
        onProgress: (done, total) => seen.push([done, total]),
      },
    );
    const [done, total] = seen[seen.length - 1];
    expect(done).toBe(total);
    const controller = new AbortController();
    const out = path.join(dir, 'aborted.csv');
    const run = writeSantanderCsv(
      out,
      { customers: 50_000, months: 17, seed: 1 },
      {
        signal: controller.signal,
        onProgress: (d) => {
          if (d > 100_000) controller.abort(new Error('stop'));
        },
      },
    );
    await expect(run).rejects.toThrow('stop');
    expect((await readdir(dir)).filter((f) => f.startsWith('aborted'))).toEqual([]);
  });

  it('yields the header first and returns a summary with the month of each row count', async () => {
    const it = generateSantanderCsv({ customers: 200, months: 2, seed: 3 });
    const first = await it.next();
    expect(first.value).toMatch(/^"fecha_dato","ncodpers",/);
    let last = await it.next();
    while (!last.done) last = await it.next();
    expect(last.value.perMonth.map((m) => m.month)).toEqual(['2015-01-28', '2015-02-28']);
    expect(last.value.perMonth[0].adders).toBeNull();
  });
});
