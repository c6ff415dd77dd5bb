import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerIngest } from './ingest.js';
import { registerGenerate } from './generate.js';

/** One line per command; each command lives in its own file. */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerConfig(program);
  registerGenerate(program);
}
