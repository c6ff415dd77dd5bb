/**
 * Hot reload of a promoted model. `ModelHolder<T>` keeps the model being served; `refresh()` asks
 * the registry which version is promoted and, when it differs, loads that version in the
 * background and swaps the reference in one assignment. A request takes the model once
 * (`current()`) and keeps using that object even if a swap happens meanwhile, so in-flight
 * requests finish on the old model and no request sees a half-loaded one. A failed load keeps
 * the old model and is retried at the next poll.
 */
import { errorMessage } from '../errors.js';

/** What the holder needs from the model registry (`src/store/registry.ts`). */
export interface PromotedSource {
  promoted(name: string): Promise<{ version: string } | null>;
}

export interface HeldModel<T> {
  version: string;
  model: T;
}

export interface ModelHolderOptions<T> {
  name: string;
  source: PromotedSource;
  load: (name: string, version: string) => Promise<T>;
  /** Poll interval in milliseconds; 0: no polling (call `refresh()` yourself). */
  intervalMs: number;
  onSwap?: (name: string, from: string | null, to: string) => void;
  onError?: (name: string, message: string) => void;
}

export class ModelHolder<T> {
  readonly name: string;
  readonly #o: ModelHolderOptions<T>;
  #held: HeldModel<T> | null = null;
  #refreshing: Promise<boolean> | null = null;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ModelHolderOptions<T>) {
    this.name = options.name;
    this.#o = options;
  }

  /** The model being served, or null before the first successful load. */
  current(): HeldModel<T> | null {
    return this.#held;
  }

  /** Checks the promoted version and swaps when it changed; true when a swap happened. Never throws. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** Loads the promoted model now, then polls every `intervalMs`. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.#o.intervalMs > 0 && !this.#timer) {
      this.#timer = setInterval(() => void this.refresh(), this.#o.intervalMs);
      this.#timer.unref();
    }
  }

  /** Stops polling and waits for a load in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#refreshing;
  }

  async #refresh(): Promise<boolean> {
    try {
      const promoted = await this.#o.source.promoted(this.name);
      if (!promoted || promoted.version === this.#held?.version) return false;
      const model = await this.#o.load(this.name, promoted.version);
      const from = this.#held?.version ?? null;
      this.#held = { version: promoted.version, model };
      this.#o.onSwap?.(this.name, from, promoted.version);
      return true;
    } catch (e) {
      this.#o.onError?.(this.name, errorMessage(e));
      return false;
    }
  }
}

/** `onSwap`/`onError` callbacks that keep `nextoffer_model_info` and the reload counter current. */
export function modelHolderMetrics(metrics: {
  modelInfo: {
    remove(labels: { name: string; version: string }): void;
    set(labels: { name: string; version: string }, v: number): void;
  };
  modelReloads: { inc(labels: { name: string; result: string }): void };
}): Pick<ModelHolderOptions<unknown>, 'onSwap' | 'onError'> {
  return {
    onSwap: (name, from, to) => {
      if (from !== null) metrics.modelInfo.remove({ name, version: from });
      metrics.modelInfo.set({ name, version: to }, 1);
      metrics.modelReloads.inc({ name, result: 'swapped' });
    },
    onError: (name) => metrics.modelReloads.inc({ name, result: 'failed' }),
  };
}
