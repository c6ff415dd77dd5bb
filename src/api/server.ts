/**
 * Running the API: open and migrate the database, create the first admin when none exists,
 * build the app, listen, and shut down gracefully on SIGINT/SIGTERM — stop accepting, let
 * requests in flight finish, flush the request history (database or outbox), close the database.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { openArtifactStore, type ArtifactStore } from '../store/artifacts.js';
import { openDatabase, type Database } from '../store/db.js';
import { UserRepository } from '../store/users.js';
import { buildApp } from './app.js';
import { generatePassword, hashPassword } from './auth/passwords.js';
import type { Services } from './services.js';
import { domainServices } from './domain-services.js';

export interface FirstAdmin {
  name: string;
  /** Set when the password was generated (print it once); null when it came from the configuration. */
  generatedPassword: string | null;
}

/** Creates the user `admin` from `NEXTOFFER_ADMIN_PASSWORD` (or a generated password) when no admin exists. */
export async function ensureAdmin(db: Database, config: Config): Promise<FirstAdmin | null> {
  const users = new UserRepository(db);
  if (await users.adminExists()) return null;
  const given = config.adminPassword;
  const password = given !== '' ? given : generatePassword();
  await users.create('admin', 'admin', await hashPassword(password));
  return { name: 'admin', generatedPassword: given !== '' ? null : password };
}

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  url: string;
  firstAdmin: FirstAdmin | null;
  /** Graceful shutdown; safe to call more than once. */
  close(): Promise<void>;
}

export interface StartOptions {
  services?: Services;
  /** Install SIGINT/SIGTERM handlers that close the server (default true). */
  handleSignals?: boolean;
  /** Pino logging (default true, at `config.logLevel`). */
  log?: boolean;
  /**
   * Builds the domain services once the database and artifact store are open. Default
   * `domainServices`: the model registry and runs, offers, segments and recommendations.
   */
  wire?: (db: Database, artifacts: ArtifactStore, config: Config) => Promise<Services>;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const db = await openDatabase(config);
  let artifacts: ArtifactStore | undefined;
  let app: FastifyInstance;
  let firstAdmin: FirstAdmin | null;
  try {
    firstAdmin = await ensureAdmin(db, config);
    artifacts = openArtifactStore(config);
    const wire = options.wire ?? domainServices;
    const services = { ...(await wire(db, artifacts, config)), ...options.services };
    app = await buildApp({
      config,
      db,
      services,
      logger: options.log === false ? false : { level: config.logLevel },
    });
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await artifacts?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw e;
  }
  const store = artifacts;
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      try {
        await app.close();
      } finally {
        await store.close().catch(() => undefined);
        await db.close();
      }
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    app.log.info(`${signal}: shutting down`);
    close().then(
      () => process.exit(0),
      (e: unknown) => {
        app.log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  if (options.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return { app, db, url: `http://${host}:${port}`, firstAdmin, close };
}
