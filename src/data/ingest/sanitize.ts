/**
 * A copy of an input with its problem lines (too long, not UTF-8, unclosed quote: see scan.ts)
 * emptied, so the CSV reader sees the same physical lines, with the same numbers, and skips
 * those as blank. Streams: a too-long line is never held in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

const NL = 10;

export async function writeWithoutLines(
  file: string,
  gzip: boolean,
  lines: ReadonlySet<number>,
  out: string,
  signal?: AbortSignal,
): Promise<void> {
  let line = 1;
  const drop = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const parts: Buffer[] = [];
      let pos = 0;
      while (pos < chunk.length) {
        const nl = chunk.indexOf(NL, pos);
        const end = nl < 0 ? chunk.length : nl + 1;
        if (!lines.has(line)) parts.push(chunk.subarray(pos, end));
        else if (nl >= 0) parts.push(chunk.subarray(nl, nl + 1));
        if (nl < 0) break;
        line++;
        pos = end;
      }
      done(null, Buffer.concat(parts));
    },
  });
  const input = createReadStream(file, { highWaterMark: 4 << 20 });
  const output = createWriteStream(out);
  if (gzip) await pipeline(input, createGunzip({ chunkSize: 1 << 20 }), drop, output, { signal });
  else await pipeline(input, drop, output, { signal });
}
