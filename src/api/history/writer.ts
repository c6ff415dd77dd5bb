/**
 * Writes request history off the request path. Routes `enqueue` a record (synchronous, no I/O);
 * a timer drains the queue in batches into `api_requests`. When the database fails, batches go to
 * the on-disk outbox instead, and later batches follow them there so that order is kept; every
 * `retryMs` the outbox is replayed into the database (idempotent inserts) and emptied.
 *
 * Nothing accepted is dropped: when both the database and the outbox are unavailable, records stay
 * queued in memory, and `canAccept()` turns false once the queue reaches `maxQueued` or the outbox
 * is full — routes then answer 503 before doing any work. `close()` drains everything (database or
 * outbox) before the database is closed.
 */
import { AppError, errorMessage } from '../../errors.js';
import { insertHistory, type HistoryRecord } from '../../store/api-requests.js';
import type { Queryable } from '../../store/db.js';
import type { ApiMetrics } from '../metrics.js';
import type { Outbox } from './outbox.js';

export interface HistoryWriterOptions {
  db: Queryable;
  outbox: Outbox;
  metrics?: ApiMetrics;
  batchSize?: number;
  flushIntervalMs?: number;
  retryMs?: number;
  maxQueued?: number;
  log?: (level: 'warn' | 'info' | 'error', message: string) => void;
}

export class HistoryWriter {
  readonly #o: Required<Omit<HistoryWriterOptions, 'metrics'>> & { metrics?: ApiMetrics };
  #queue: HistoryRecord[] = [];
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #lastReplayAttempt = 0;
  #dbDown = false;
  #closed = false;
  #busy = false;

  constructor(options: HistoryWriterOptions) {
    this.#o = {
      batchSize: 500,
      flushIntervalMs: 25,
      retryMs: 1000,
      maxQueued: 20_000,
      log: () => undefined,
      ...options,
    };
    this.#updateGauges();
    this.#timer = setInterval(() => {
      if (!this.#busy && (this.#queue.length > 0 || this.#o.outbox.records > 0)) void this.#schedule();
    }, this.#o.flushIntervalMs);
    this.#timer.unref();
  }

  /** False when a new record could not be kept (queue at its limit, or database down and outbox full). */
  canAccept(): boolean {
    if (this.#closed || this.#queue.length >= this.#o.maxQueued) return false;
    return !(this.#dbDown && !this.#o.outbox.fits(64 * 1024));
  }

  /** Throws HISTORY_UNAVAILABLE unless `canAccept()`. Routes call it before doing any work. */
  assertAccepting(): void {
    if (!this.canAccept())
      throw new AppError(
        'HISTORY_UNAVAILABLE',
        'Request history cannot be recorded right now (database unreachable and outbox full); retry later',
      );
  }

  enqueue(record: HistoryRecord): void {
    this.#queue.push(record);
  }

  /** True while the database is failing (history is going to the outbox). */
  get degraded(): boolean {
    return this.#dbDown;
  }

  get outboxRecords(): number {
    return this.#o.outbox.records;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves once everything enqueued so far has been written to the database or the outbox. */
  flush(): Promise<void> {
    return this.#schedule(true);
  }

  /** Stops the timer and writes everything still queued; tries the outbox replay once more. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#schedule(true);
    this.#closed = true;
    if (this.#queue.length > 0)
      this.#o.log(
        'error',
        `${this.#queue.length} history records could be written neither to the database nor the outbox`,
      );
  }

  #schedule(force = false): Promise<void> {
    const run = this.#chain.then(() => this.#drain(force));
    this.#chain = run.catch((e: unknown) => this.#o.log('error', `history writer: ${errorMessage(e)}`));
    return this.#chain;
  }

  async #drain(force: boolean): Promise<void> {
    this.#busy = true;
    try {
      await this.#drainOnce(force);
    } finally {
      this.#busy = false;
    }
  }

  async #drainOnce(force: boolean): Promise<void> {
    const { outbox } = this.#o;
    if (outbox.records > 0 && (force || Date.now() - this.#lastReplayAttempt >= this.#o.retryMs)) {
      await this.#replay();
    }
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#o.batchSize);
      if (
        outbox.records === 0 &&
        (!this.#dbDown || force || Date.now() - this.#lastReplayAttempt >= this.#o.retryMs)
      ) {
        if (await this.#insert(batch)) {
          this.#queue.splice(0, batch.length);
          continue;
        }
      }
      try {
        await outbox.append(batch);
        this.#queue.splice(0, batch.length);
      } catch (e) {
        this.#o.log('error', `history outbox: ${errorMessage(e)}`);
        break;
      } finally {
        this.#updateGauges();
      }
    }
  }

  async #insert(batch: readonly HistoryRecord[]): Promise<boolean> {
    try {
      await insertHistory(this.#o.db, batch);
      if (this.#dbDown) this.#o.log('info', 'history: the database is reachable again');
      this.#dbDown = false;
      return true;
    } catch (e) {
      if (!this.#dbDown)
        this.#o.log('warn', `history: database write failed, using the outbox: ${errorMessage(e)}`);
      this.#dbDown = true;
      this.#lastReplayAttempt = Date.now();
      return false;
    }
  }

  async #replay(): Promise<void> {
    const { outbox } = this.#o;
    this.#lastReplayAttempt = Date.now();
    for await (const batch of outbox.read(this.#o.batchSize)) {
      if (!(await this.#insert(batch))) return;
    }
    const replayed = outbox.records;
    await outbox.clear();
    this.#updateGauges();
    this.#o.log('info', `history: replayed ${replayed} records from the outbox`);
  }

  #updateGauges(): void {
    this.#o.metrics?.outboxRecords.set(this.#o.outbox.records);
    this.#o.metrics?.outboxBytes.set(this.#o.outbox.bytes);
  }
}
