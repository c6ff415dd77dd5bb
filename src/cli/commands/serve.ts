import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { startServer } from '../../api/server.js';
import { configWith, intFlag, print, type CommonFlags } from '../context.js';

interface ServeFlags extends CommonFlags {
  host?: string;
  port?: string;
}

/** `nextoffer serve`: the REST API until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the REST API (OpenAPI at /openapi.json, Swagger UI at /docs)')
    .option('--host <host>', 'listen address (default: NEXTOFFER_HOST)')
    .option('--port <port>', 'port (default: NEXTOFFER_PORT; 0: any free port)')
    .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
    .action(async (flags: ServeFlags) => {
      const base = configWith(flags);
      const port = intFlag('port', flags.port) ?? base.port;
      if (port > 65535) throw new AppError('ARGUMENT_INVALID', `--port ${port}: must be at most 65535`);
      const config = { ...base, host: flags.host ?? base.host, port };
      const server = await startServer(config);
      if (server.firstAdmin) {
        print(
          server.firstAdmin.generatedPassword !== null
            ? `created user admin with the generated password ${server.firstAdmin.generatedPassword} (shown once)`
            : 'created user admin with the password from NEXTOFFER_ADMIN_PASSWORD',
        );
      }
      print(`nextoffer API listening on ${server.url} (docs: ${server.url}/docs)`);
      await new Promise<void>(() => undefined);
    });
}
