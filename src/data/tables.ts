/**
 * Reads a client feature table — CSV (`,` or `;`, sniffed from the header) or an xlsx sheet — into
 * columns and rows of cells. Cells that look like numbers become numbers; the null tokens
 * (`NULL`, `NA`, `NaN`, empty by default) become `null`. Used for the Gazprombank and UCI inputs
 * and any hand-made feature file; the large Santander panels go through the DuckDB ingest instead.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import ExcelJS from 'exceljs';
import { AppError, errorMessage } from '../errors.js';

export type Cell = string | number | null;

export interface Table {
  readonly columns: string[];
  readonly rows: Cell[][];
  /** The file path (and `#sheet` for xlsx). */
  readonly source: string;
}

export interface ReadTableOptions {
  /** xlsx: sheet name; default the first sheet. */
  sheet?: string;
  /** CSV delimiter; default `auto` (the more frequent of `,` and `;` in the header). */
  delimiter?: ',' | ';' | 'auto';
  /** Cell texts read as missing. Default `['', 'NULL', 'NA', 'NaN', 'null']`. */
  nullTokens?: readonly string[];
}

const DEFAULT_NULLS = ['', 'NULL', 'NA', 'NaN', 'null'];
const NUMBER_RE = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** Turns one raw text cell into a number, `null` or trimmed text. */
export function parseCell(raw: string, nulls: ReadonlySet<string>): Cell {
  const text = raw.trim();
  if (nulls.has(text)) return null;
  if (NUMBER_RE.test(text)) return Number(text.replace(',', '.'));
  return text;
}

/** Splits one CSV line with RFC 4180 quoting; `line` is the 1-based number for errors. */
export function splitCsvLine(text: string, delimiter: string, line: number, file: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) throw new AppError('INPUT_CORRUPT', `${file}: line ${line}: unclosed quote`);
  out.push(cur);
  return out;
}

async function readCsv(file: string, options: ReadTableOptions): Promise<Table> {
  const nulls = new Set(options.nullTokens ?? DEFAULT_NULLS);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let columns: string[] | null = null;
  let delimiter = ',';
  const rows: Cell[][] = [];
  let n = 0;
  for await (const rawLine of lines) {
    n++;
    const text = n === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (columns === null) {
      delimiter = options.delimiter && options.delimiter !== 'auto' ? options.delimiter : sniff(text);
      columns = splitCsvLine(text, delimiter, n, file).map((c) => c.trim());
      checkColumns(columns, file);
      continue;
    }
    if (text.trim() === '') continue;
    const cells = splitCsvLine(text, delimiter, n, file);
    if (cells.length !== columns.length) {
      throw new AppError(
        'INPUT_CORRUPT',
        `${file}: line ${n}: ${cells.length} fields, the header has ${columns.length}`,
      );
    }
    rows.push(cells.map((c) => parseCell(c, nulls)));
  }
  if (columns === null) throw new AppError('INPUT_CORRUPT', `${file}: the file is empty (no header line)`);
  return { columns, rows, source: file };
}

function sniff(header: string): string {
  const semis = header.split(';').length;
  const commas = header.split(',').length;
  return semis > commas ? ';' : ',';
}

function checkColumns(columns: string[], source: string): void {
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (c === '') throw new AppError('INPUT_CORRUPT', `${source}: header column ${i + 1} has no name`);
    if (seen.has(c)) throw new AppError('INPUT_CORRUPT', `${source}: header column "${c}" appears twice`);
    seen.add(c);
  });
}

function excelCell(value: ExcelJS.CellValue, nulls: ReadonlySet<string>): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseCell(value, nulls);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return excelCell(value.result, nulls);
    if ('richText' in value) return parseCell(value.richText.map((r) => r.text).join(''), nulls);
    if ('text' in value) return parseCell(String(value.text), nulls);
    if ('error' in value) return null;
  }
  // A formula without a cached result: there is no value to read.
  return null;
}

async function readXlsx(file: string, options: ReadTableOptions): Promise<Table> {
  const nulls = new Set(options.nullTokens ?? DEFAULT_NULLS);
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (e) {
    throw new AppError('INPUT_CORRUPT', `${file}: not a readable xlsx workbook (${errorMessage(e)})`, {
      cause: e,
    });
  }
  const sheet = options.sheet ? book.getWorksheet(options.sheet) : book.worksheets[0];
  if (!sheet) {
    const names = book.worksheets.map((w) => w.name).join(', ');
    throw new AppError('INPUT_NOT_FOUND', `${file}: no sheet "${options.sheet ?? ''}" (sheets: ${names})`);
  }
  const source = `${file}#${sheet.name}`;
  const width = sheet.actualColumnCount;
  const header = sheet.getRow(1);
  const columns: string[] = [];
  for (let c = 1; c <= width; c++) {
    const v = excelCell(header.getCell(c).value, new Set());
    columns.push(v === null ? '' : String(v).trim());
  }
  while (columns.length > 0 && columns[columns.length - 1] === '') columns.pop();
  checkColumns(columns, source);
  const rows: Cell[][] = [];
  sheet.eachRow({ includeEmpty: false }, (r, index) => {
    if (index === 1) return;
    const cells: Cell[] = [];
    for (let c = 1; c <= columns.length; c++) cells.push(excelCell(r.getCell(c).value, nulls));
    if (cells.every((x) => x === null)) return;
    rows.push(cells);
  });
  return { columns, rows, source };
}

/** Reads `.csv`, `.txt` or `.xlsx` by extension; errors name the file, line and rule. */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<Table> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new AppError('INPUT_NOT_FOUND', `${file}: not a file`);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INPUT_NOT_FOUND', `${file}: no such file`, { cause: e });
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') return readXlsx(file, options);
  if (ext === '.csv' || ext === '.txt') return readCsv(file, options);
  throw new AppError('INPUT_UNSUPPORTED', `${file}: unsupported extension "${ext}" (expected .csv or .xlsx)`);
}

/** Index of column `name`, or a clear error listing the columns there are. */
export function columnIndex(table: Table, name: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) {
    throw new AppError(
      'ARGUMENT_INVALID',
      `${table.source}: no column "${name}" (columns: ${table.columns.join(', ')})`,
    );
  }
  return i;
}

/** A numeric column as Float64Array (null → NaN); a text cell is an error naming its row. */
export function numericColumn(table: Table, name: string): Float64Array {
  const c = columnIndex(table, name);
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((r, i) => {
    const v = r[c];
    if (typeof v === 'string') {
      throw new AppError(
        'INPUT_CORRUPT',
        `${table.source}: row ${i + 2}, column "${name}": "${v}" is not a number`,
      );
    }
    out[i] = v === null ? Number.NaN : v;
  });
  return out;
}

/** The rows as plain objects keyed by column name (small tables: features for one client each). */
export function tableRecords(table: Table): Record<string, Cell>[] {
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));
}
