import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tempDir } from './ingest/fixtures.test-util.js';
import { numericColumn, readTable, tableRecords } from './tables.js';

describe('readTable', () => {
  it('reads a ;-separated CSV with quotes, numbers and null tokens', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'x.csv');
    await writeFile(file, '\uFEFFid;job;"note";x\n1;"admin.";"a;b";2,5\n2;NULL;"say ""hi""";NA\n\n');
    const t = await readTable(file);
    expect(t.columns).toEqual(['id', 'job', 'note', 'x']);
    expect(t.rows).toEqual([
      [1, 'admin.', 'a;b', 2.5],
      [2, null, 'say "hi"', null],
    ]);
    expect(Array.from(numericColumn(t, 'x'))).toEqual([2.5, Number.NaN]);
    expect(tableRecords(t)[0]).toEqual({ id: 1, job: 'admin.', note: 'a;b', x: 2.5 });
  });

  it('names the line of a ragged row and the row of a text cell in a numeric column', async () => {
    const dir = await tempDir();
    const ragged = path.join(dir, 'ragged.csv');
    await writeFile(ragged, 'a,b\n1,2\n3\n');
    await expect(readTable(ragged)).rejects.toThrow(/line 3: 1 fields, the header has 2/);
    const text = path.join(dir, 'text.csv');
    await writeFile(text, 'a,b\n1,2\n3,x\n');
    const t = await readTable(text);
    expect(() => numericColumn(t, 'b')).toThrow(/row 3, column "b": "x" is not a number/);
    expect(() => numericColumn(t, 'c')).toThrow(/no column "c"/);
  });

  it('refuses missing files, unknown extensions and duplicate headers', async () => {
    const dir = await tempDir();
    await expect(readTable(path.join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    const json = path.join(dir, 'x.json');
    await writeFile(json, '[]');
    await expect(readTable(json)).rejects.toMatchObject({ code: 'INPUT_UNSUPPORTED' });
    const dup = path.join(dir, 'dup.csv');
    await writeFile(dup, 'a,a\n1,2\n');
    await expect(readTable(dup)).rejects.toThrow(/"a" appears twice/);
  });

  it('reads an xlsx sheet, with literal NULL cells', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'x.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('clients');
    sheet.addRow(['gender', 'age', 'position']);
    sheet.addRow([1, 52.7, 'NULL']);
    sheet.addRow([0, 30, 'Специалист']);
    await book.xlsx.writeFile(file);
    const t = await readTable(file);
    expect(t.source).toBe(`${file}#clients`);
    expect(t.rows).toEqual([
      [1, 52.7, null],
      [0, 30, 'Специалист'],
    ]);
    await expect(readTable(file, { sheet: 'other' })).rejects.toThrow(/no sheet "other" \(sheets: clients\)/);
  });

  it('reads the real Yakutia workbook with its NULLs and fractional ages', async () => {
    const t = await readTable('../shared/data/gazprombank/Dataset_Yakutia.xlsx');
    expect(t.rows).toHaveLength(1000);
    expect(t.columns).toContain('super_clust');
    const age = numericColumn(t, 'age');
    expect(age.some((a) => !Number.isInteger(a))).toBe(true);
    const pos = t.columns.indexOf('app_position_type_nm');
    expect(t.rows.some((r) => r[pos] === null)).toBe(true);
  });
});
