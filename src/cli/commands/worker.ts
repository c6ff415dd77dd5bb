import type { Command } from 'commander';
import { startScoringWorker } from '../../batch/worker.js';
import { configWith, intFlag, print, type CommonFlags } from '../context.js';

interface Flags extends CommonFlags {
  concurrency: string;
  name?: string;
  quiet?: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'take batch-scoring shards from the queue (NEXTOFFER_REDIS_URL) and write their results to the database; SIGTERM finishes the active shard and exits',
    )
    .option('--concurrency <n>', 'shards processed at once by this process', '1')
    .option('--name <name>', 'worker name stored with each shard (default: <hostname>:<pid>)')
    .option('--quiet', 'no line per shard')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .action(async (flags: Flags) => {
      const config = configWith(flags);
      const concurrency = intFlag('concurrency', flags.concurrency, 1) ?? 1;
      const worker = await startScoringWorker(config, {
        concurrency,
        name: flags.name,
        onEvent: (e) => {
          if (flags.quiet && e.type !== 'failed') return;
          if (e.type === 'started') print(`shard ${e.runId} ${e.shard} started (attempt ${e.attempt})`);
          else if (e.type === 'done')
            print(`shard ${e.runId} ${e.shard} done: ${e.clients} clients in ${e.seconds.toFixed(2)}s`);
          else print(`shard ${e.runId} ${e.shard} failed (attempt ${e.attempt}): ${e.error}`);
        },
      });
      print(`worker ${worker.name} waiting for shards (concurrency ${concurrency})`);
      await new Promise<void>((resolve, reject) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          print(`${signal}: finishing the active shard`);
          worker.close().then(resolve, reject);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      print(`worker ${worker.name} stopped`);
      // Every shard is written and the connections are closed; do not let a Redis reconnect
      // timer left behind by the queue library keep the process alive.
      process.exit(0);
    });
}
