/** `nextoffer` command line: parses arguments, dispatches to one file per command, maps errors. */
import { Command, CommanderError } from 'commander';
import { AppError, errorMessage } from '../errors.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('nextoffer')
    .description('nextoffer: self-hosted next-best-offer platform for banks')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  // `nextoffer dataset | head`: a closed pipe ends the output quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit "successfully" through commander's exitOverride.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof AppError) {
      process.stderr.write(`error [${e.code}]: ${e.message}\n`);
      if (process.env.NEXTOFFER_DEBUG && e.cause) process.stderr.write(`cause: ${errorMessage(e.cause)}\n`);
      return e.status === 400 ? 2 : 1;
    }
    process.stderr.write(`error: ${errorMessage(e)}\n`);
    if (process.env.NEXTOFFER_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
