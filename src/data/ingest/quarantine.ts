/**
 * Accounting of every line of an input: ingested, or quarantined with its line number and rule.
 * The scanner's count of lines is the reference; if DuckDB's rows and rejects do not add up to
 * it, the ingest fails rather than lose a row.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { AppError } from '../../errors.js';
import { QUARANTINE_RULES, quarantineRuleOf, type QuarantineRule } from './rules.js';
import type { ScanResult } from './scan.js';

export interface QuarantinedLine {
  line: number;
  rule: QuarantineRule;
  message: string;
  raw: string;
}

export interface DuckReject {
  line: number;
  error_type: string;
  csv_line: string;
  error_message: string;
}

export interface Accounting {
  /** Data lines: physical lines minus the header. */
  linesRead: number;
  rowsIngested: number;
  quarantined: QuarantinedLine[];
  byRule: Partial<Record<QuarantineRule, number>>;
}

/**
 * @param written rows DuckDB wrote, including `keyInvalidRows` (rows whose key failed the SQL check)
 */
export function account(
  scan: ScanResult,
  rejects: DuckReject[],
  written: number,
  keyInvalidRows: number,
): Accounting {
  const rejected = new Map<number, QuarantinedLine>();
  for (const r of rejects) {
    if (rejected.has(r.line)) continue;
    rejected.set(r.line, {
      line: r.line,
      rule: quarantineRuleOf(r.error_type),
      message: r.error_message.split('\n')[0],
      raw: r.csv_line.replace(/^\n+/, ''),
    });
  }
  const quarantined = [...rejected.values()];
  for (const p of scan.problems)
    quarantined.push({ line: p.line, rule: p.rule, message: QUARANTINE_RULES[p.rule], raw: p.raw });
  for (const line of scan.blankLines)
    quarantined.push({ line, rule: 'blank_line', message: QUARANTINE_RULES.blank_line, raw: '' });
  const badKeys = scan.badKeys.filter((b) => !rejected.has(b.line));
  for (const b of badKeys)
    quarantined.push({ line: b.line, rule: b.rule, message: QUARANTINE_RULES[b.rule], raw: b.raw });
  quarantined.sort((a, b) => a.line - b.line);

  // Both checks fail only when the CSV reader and the line scanner disagree on what a line is,
  // which happens when an unclosed quote makes a field span several physical lines.
  const hint = (first: number | undefined) =>
    `lines cannot be matched one to one (an unclosed quote${first ? ` near line ${first}` : ''} makes a field span lines?); nothing was changed`;
  if (badKeys.length !== keyInvalidRows)
    throw new AppError(
      'INPUT_CORRUPT',
      `${badKeys.length} lines have an unreadable key but the CSV reader saw ${keyInvalidRows}: ${hint(badKeys[0]?.line)}`,
    );
  const linesRead = Math.max(0, scan.lines - 1);
  const rowsIngested = written - keyInvalidRows;
  if (rowsIngested + quarantined.length !== linesRead)
    throw new AppError(
      'INPUT_CORRUPT',
      `${linesRead} lines read but ${rowsIngested} rows + ${quarantined.length} quarantined lines: ${hint(quarantined[0]?.line)}`,
    );
  const byRule: Accounting['byRule'] = {};
  for (const q of quarantined) byRule[q.rule] = (byRule[q.rule] ?? 0) + 1;
  return { linesRead, rowsIngested, quarantined, byRule };
}

/**
 * One CSV field of quarantine.csv. A value a spreadsheet would read as a formula (leading `=`,
 * `+`, `-`, `@`, tab or CR: OWASP "CSV injection") is prefixed with a single quote.
 */
export function csvField(value: string): string {
  const s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes `line,rule,message,raw` rows, in line order. */
export async function writeQuarantine(file: string, lines: QuarantinedLine[]): Promise<void> {
  const out = createWriteStream(file);
  out.write('line,rule,message,raw\n');
  for (const q of lines) {
    if (!out.write(`${q.line},${q.rule},${csvField(q.message)},${csvField(q.raw)}\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
