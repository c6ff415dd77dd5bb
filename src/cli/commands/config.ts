import type { Command } from 'commander';
import { describeConfig, loadConfig } from '../../config.js';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration (secrets masked)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(describeConfig(loadConfig()), null, 2)}\n`);
    });
}
