/**
 * On-disk outbox of request-history records, used while the database is unreachable: one JSON
 * record per line (`<data dir>/outbox/history.jsonl`), appended and fsynced, replayed in order
 * when the database is back, then truncated. Bounded by `maxBytes`: an append that would exceed
 * it is refused (`HISTORY_UNAVAILABLE`), so the API refuses requests instead of losing history.
 * Not safe for concurrent use: the history writer serialises every call.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../../errors.js';
import type { HistoryRecord } from '../../store/api-requests.js';

export class Outbox {
  readonly file: string;
  readonly maxBytes: number;
  #bytes = 0;
  #records = 0;

  private constructor(file: string, maxBytes: number) {
    this.file = file;
    this.maxBytes = maxBytes;
  }

  /** Opens the outbox in `dir`, counting what a previous run left in it. */
  static async open(dir: string, maxBytes: number): Promise<Outbox> {
    await mkdir(dir, { recursive: true });
    const outbox = new Outbox(path.join(dir, 'history.jsonl'), maxBytes);
    const size = await stat(outbox.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size > 0) {
      outbox.#bytes = size;
      for await (const batch of outbox.read(10_000)) outbox.#records += batch.length;
    }
    return outbox;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get records(): number {
    return this.#records;
  }

  /** Whether `bytes` more would still fit. */
  fits(bytes: number): boolean {
    return this.#bytes + bytes <= this.maxBytes;
  }

  /** Appends records durably (fsync) or throws HISTORY_UNAVAILABLE when they do not fit. */
  async append(records: readonly HistoryRecord[]): Promise<void> {
    if (records.length === 0) return;
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const bytes = Buffer.byteLength(text);
    if (!this.fits(bytes))
      throw new AppError(
        'HISTORY_UNAVAILABLE',
        `The database is unreachable and the history outbox is full (${this.#bytes} of ${this.maxBytes} bytes)`,
      );
    const handle = await open(this.file, 'a');
    try {
      await handle.write(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.#bytes += bytes;
    this.#records += records.length;
  }

  /**
   * Reads the records in order, in batches. A torn last line (a crash in the middle of a write)
   * is skipped: its request was never answered, the append had not completed.
   */
  async *read(batchSize: number): AsyncGenerator<HistoryRecord[]> {
    if (this.#bytes === 0) return;
    const lines = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
    let batch: HistoryRecord[] = [];
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let record: HistoryRecord;
      try {
        record = JSON.parse(line) as HistoryRecord;
      } catch {
        continue;
      }
      batch.push(record);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Empties the outbox (after every record reached the database). */
  async clear(): Promise<void> {
    await truncate(this.file, 0).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    this.#bytes = 0;
    this.#records = 0;
  }
}
