/** Progress of the recommendation commands on stderr: a bar on a TTY, one line per phase otherwise. */
import { createProgress } from './progress.js';

export function recoProgress(
  label: string,
  quiet = false,
): {
  onProgress: (note: string, done?: number, total?: number) => void;
  done: () => void;
} {
  const tty = Boolean(process.stderr.isTTY);
  const bar = createProgress(label, { enabled: tty && !quiet });
  let last = '';
  const started = performance.now();
  return {
    onProgress(note, done = 0, total = 0) {
      if (quiet) return;
      if (tty) bar.update(done, total, note);
      else if (note !== last) {
        process.stderr.write(`${label}: ${note} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      }
      last = note;
    },
    done() {
      if (tty && !quiet) bar.done();
    },
  };
}
