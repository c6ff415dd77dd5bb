/**
 * Runs a job on a cron schedule inside the server process: at most one run at a time (a fire that
 * comes while the previous run is still going is skipped and logged), every run and error is
 * logged, and an error never escapes (the server keeps serving). Timers are unref'd, so a
 * schedule never keeps the process alive.
 */
import { errorMessage } from '../errors.js';
import { nextFire, parseCron, type CronSchedule } from './cron.js';

export interface SchedulerOptions {
  cron: string;
  job: () => Promise<unknown>;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** The clock (tests). */
  now?: () => Date;
  name?: string;
}

/** Longest delay setTimeout accepts (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

export class Scheduler {
  readonly schedule: CronSchedule;
  readonly #o: SchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #stopped = true;
  #next: Date | null = null;

  constructor(options: SchedulerOptions) {
    this.schedule = parseCron(options.cron);
    this.#o = options;
  }

  get name(): string {
    return this.#o.name ?? 'retrain';
  }

  /** When the job fires next (null when stopped). */
  get next(): Date | null {
    return this.#next;
  }

  get running(): boolean {
    return this.#running !== null;
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  #arm(): void {
    if (this.#stopped) return;
    const now = (this.#o.now ?? (() => new Date()))();
    const next = nextFire(this.schedule, now);
    this.#next = next;
    const wait = next.getTime() - now.getTime();
    this.#timer = setTimeout(
      () => {
        if (wait > MAX_DELAY) return this.#arm();
        void this.trigger();
        this.#arm();
      },
      Math.min(wait, MAX_DELAY),
    );
    this.#timer.unref();
  }

  /** Runs the job now unless a run is in progress (then resolves with false). Never rejects. */
  async trigger(): Promise<boolean> {
    if (this.#running !== null) {
      this.#o.log('warn', `${this.name}: previous run still going, this one is skipped`);
      return false;
    }
    const started = Date.now();
    this.#o.log('info', `${this.name}: started`);
    this.#running = this.#o.job().then(
      () => this.#o.log('info', `${this.name}: done in ${Date.now() - started} ms`),
      (e: unknown) => this.#o.log('error', `${this.name}: failed: ${errorMessage(e)}`),
    );
    try {
      await this.#running;
    } finally {
      this.#running = null;
    }
    return true;
  }

  /** Stops firing and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#next = null;
    await this.#running;
  }
}
