/**
 * A progress bar on stderr when it is a TTY; silent otherwise (pipes, CI, `--json`).
 * Long commands call `update(done, total)`; `total = 0` shows a spinner-style counter.
 */
export interface Progress {
  update(done: number, total: number, note?: string): void;
  done(note?: string): void;
}

const WIDTH = 30;

export function createProgress(
  label: string,
  options: { enabled?: boolean; stream?: NodeJS.WriteStream } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? Boolean(stream.isTTY);
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

  return {
    update(done, total, note = '') {
      if (!enabled) return;
      const now = Date.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      let bar: string;
      if (total > 0) {
        const f = Math.max(0, Math.min(1, done / total));
        const fill = Math.round(f * WIDTH);
        bar = `[${'#'.repeat(fill)}${'.'.repeat(WIDTH - fill)}] ${(f * 100).toFixed(0).padStart(3)}%`;
      } else {
        bar = `${done.toLocaleString('en-US')}`;
      }
      stream.write(`\r\x1b[2K${label} ${bar} ${elapsed()} ${note}`);
      drawn = true;
    },
    done(note = '') {
      if (!enabled) return;
      if (drawn) stream.write('\r\x1b[2K');
      stream.write(`${label} done in ${elapsed()} ${note}\n`);
    },
  };
}
