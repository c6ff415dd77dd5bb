/**
 * Writes a generated Santander file: to `<out>.tmp` first, renamed to `out` only when complete (an
 * interrupted run never leaves a partial file under the final name); gzip when `out` ends in `.gz`.
 * Backpressure is respected (the generator is pulled only as fast as the file takes the data).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { AppError, errorMessage } from '../../errors.js';
import {
  assertGenerateOptions,
  generateSantanderCsv,
  type GenerateOptions,
  type GenerateRunOptions,
  type GenerateSummary,
} from './generate.js';

export interface WriteSummary extends GenerateSummary {
  out: string;
  gzip: boolean;
  bytes: number;
  seconds: number;
}

/** Generates the file `out` (`.gz`: gzip-compressed). */
export async function writeSantanderCsv(
  out: string,
  options: GenerateOptions,
  run: GenerateRunOptions = {},
): Promise<WriteSummary> {
  assertGenerateOptions(options);
  const started = performance.now();
  const gzip = out.endsWith('.gz');
  const tmp = `${out}.tmp`;
  const generator = generateSantanderCsv(options, run);
  let summary: GenerateSummary | undefined;
  async function* chunks(): AsyncGenerator<string> {
    for (;;) {
      const next = await generator.next();
      if (next.done) {
        summary = next.value;
        return;
      }
      yield next.value;
    }
  }
  const source = Readable.from(chunks(), { objectMode: false, highWaterMark: 4 << 20 });
  const file = createWriteStream(tmp, { highWaterMark: 4 << 20 });
  const signal = run.signal ? { signal: run.signal } : {};
  try {
    if (gzip) await pipeline(source, createGzip({ level: 6 }), file, signal);
    else await pipeline(source, file, signal);
    if (!summary) throw new Error('the generator stopped before the end of the file');
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    const reason: unknown = run.signal?.aborted ? run.signal.reason : undefined;
    if (reason instanceof Error) throw reason;
    if (e instanceof AppError) throw e;
    throw new Error(`cannot write ${out}: ${errorMessage(e)}`, { cause: e });
  }
  const { size } = await stat(out);
  return { ...summary, out, gzip, bytes: size, seconds: (performance.now() - started) / 1000 };
}
