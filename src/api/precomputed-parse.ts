/**
 * Validation of a precomputed-recommendations upload, CSV or JSON, into rows — or one
 * VALIDATION_FAILED error listing each bad line (CSV, 1-based, header = line 1) or item (JSON,
 * 0-based index) with the field and the rule it breaks.
 *
 * CSV: header `client_id,product,score` with an optional 4th column `reasons` (`|`-separated);
 * RFC 4180 quoting. JSON: an array of `{client_id, product, score, reasons?}`.
 */
import { AppError } from '../errors.js';
import type { PrecomputedRow } from '../store/precomputed.js';

export const ID_PATTERN = '^[A-Za-z0-9_.:-]{1,64}$';
const ID_RE = new RegExp(ID_PATTERN);
export const MAX_PRODUCTS_PER_CLIENT = 100;
const MAX_FINDINGS = 100;

export interface LoadFinding {
  line?: number;
  index?: number;
  field: string;
  message: string;
}

class Findings {
  readonly list: LoadFinding[] = [];
  total = 0;
  add(f: LoadFinding): void {
    this.total++;
    if (this.list.length < MAX_FINDINGS) this.list.push(f);
  }
}

/** Splits one CSV line (RFC 4180 quoting); `null` for an unterminated quote. */
export function splitCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      out.push(value);
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

function checkRow(
  raw: { client_id: unknown; product: unknown; score: unknown; reasons: unknown },
  where: { line?: number; index?: number },
  findings: Findings,
): PrecomputedRow | null {
  const before = findings.total;
  const clientId =
    typeof raw.client_id === 'number' && Number.isSafeInteger(raw.client_id)
      ? String(raw.client_id)
      : raw.client_id;
  if (typeof clientId !== 'string' || !ID_RE.test(clientId))
    findings.add({ ...where, field: 'client_id', message: `must match ${ID_PATTERN}` });
  if (typeof raw.product !== 'string' || !ID_RE.test(raw.product))
    findings.add({ ...where, field: 'product', message: `must match ${ID_PATTERN}` });
  const score = raw.score;
  if (typeof score !== 'number' || !Number.isFinite(score))
    findings.add({ ...where, field: 'score', message: 'must be a finite number' });
  const reasons = raw.reasons ?? [];
  if (
    !Array.isArray(reasons) ||
    reasons.length > 20 ||
    reasons.some((r) => typeof r !== 'string' || r.length > 200)
  )
    findings.add({
      ...where,
      field: 'reasons',
      message: 'must be at most 20 strings of at most 200 characters',
    });
  if (findings.total > before) return null;
  return {
    clientId: clientId as string,
    product: raw.product as string,
    score: score as number,
    reasons: reasons as string[],
  };
}

function checkSet(
  rows: { row: PrecomputedRow; where: { line?: number; index?: number } }[],
  findings: Findings,
): void {
  const seen = new Set<string>();
  const perClient = new Map<string, number>();
  for (const { row, where } of rows) {
    const key = `${row.clientId}\0${row.product}`;
    if (seen.has(key))
      findings.add({
        ...where,
        field: 'product',
        message: `duplicate product ${row.product} for client ${row.clientId}`,
      });
    seen.add(key);
    const n = (perClient.get(row.clientId) ?? 0) + 1;
    perClient.set(row.clientId, n);
    if (n === MAX_PRODUCTS_PER_CLIENT + 1)
      findings.add({
        ...where,
        field: 'client_id',
        message: `more than ${MAX_PRODUCTS_PER_CLIENT} products for client ${row.clientId}`,
      });
  }
}

function finish(
  checked: { row: PrecomputedRow; where: { line?: number; index?: number } }[],
  findings: Findings,
  what: string,
): PrecomputedRow[] {
  if (findings.total === 0) checkSet(checked, findings);
  if (findings.total === 0 && checked.length === 0)
    findings.add({
      field: 'body',
      message: `no ${what}: an upload replaces the whole set and must not be empty`,
    });
  if (findings.total > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `The upload was refused: ${findings.total} error(s); nothing was changed`,
      {
        status: 422,
        details: findings.list,
      },
    );
  return checked.map((c) => c.row);
}

export function parseCsvUpload(text: string): PrecomputedRow[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const findings = new Findings();
  const header = (splitCsvLine(lines[0]?.replace(/^\uFEFF/, '') ?? '') ?? []).map((h) => h.trim());
  const expected = ['client_id', 'product', 'score'];
  if (
    !(header.length === 3 || (header.length === 4 && header[3] === 'reasons')) ||
    expected.some((h, i) => header[i] !== h)
  ) {
    findings.add({ line: 1, field: 'header', message: 'must be client_id,product,score[,reasons]' });
    return finish([], findings, 'rows');
  }
  const checked: { row: PrecomputedRow; where: { line: number } }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const where = { line: i + 1 };
    const fields = splitCsvLine(lines[i]);
    if (fields === null || fields.length !== header.length) {
      findings.add({
        ...where,
        field: 'line',
        message:
          fields === null ? 'unterminated quote' : `expected ${header.length} fields, got ${fields.length}`,
      });
      continue;
    }
    const reasons = header.length === 4 ? (fields[3] === '' ? [] : fields[3].split('|')) : [];
    const row = checkRow(
      {
        client_id: fields[0],
        product: fields[1],
        score: fields[2].trim() === '' ? NaN : Number(fields[2]),
        reasons,
      },
      where,
      findings,
    );
    if (row) checked.push({ row, where });
  }
  return finish(checked, findings, 'rows');
}

export function parseJsonUpload(body: unknown): PrecomputedRow[] {
  const findings = new Findings();
  if (!Array.isArray(body)) {
    findings.add({ field: 'body', message: 'must be an array of {client_id, product, score, reasons?}' });
    return finish([], findings, 'items');
  }
  const checked: { row: PrecomputedRow; where: { index: number } }[] = [];
  body.forEach((item: unknown, index) => {
    const where = { index };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      findings.add({ ...where, field: 'item', message: 'must be an object' });
      return;
    }
    const o = item as Record<string, unknown>;
    const unknownKey = Object.keys(o).find((k) => !['client_id', 'product', 'score', 'reasons'].includes(k));
    if (unknownKey !== undefined) findings.add({ ...where, field: unknownKey, message: 'unknown field' });
    const row = checkRow(
      { client_id: o.client_id, product: o.product, score: o.score, reasons: o.reasons },
      where,
      findings,
    );
    if (row && unknownKey === undefined) checked.push({ row, where });
  });
  return finish(checked, findings, 'items');
}
