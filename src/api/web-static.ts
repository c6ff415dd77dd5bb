/**
 * The built web UI (`web/dist`) at `/`: files as they are (hashed `assets/*` cached for a year),
 * any other non-API path answered with `index.html` so the browser router can show the page.
 * API paths keep their JSON 404; without a build, `/` says how to make one.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const API_PREFIXES = new Set(['v1', 'metrics', 'health', 'docs', 'openapi.json']);

/** `web/dist` of the installation: the nearest ancestor of this module holding `web/package.json`. */
export function defaultWebDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'web', 'package.json'))) return path.join(dir, 'web', 'dist');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('web', 'dist');
    dir = parent;
  }
}

export const NOT_BUILT_MESSAGE =
  'The nextoffer web UI is not built. Run `npm run build` in the project directory, then restart the server. ' +
  'The API is available under /v1 (documentation at /docs).';

export function webRoutes(app: FastifyInstance, webDir: string): void {
  const root = path.resolve(webDir);
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const rel = (request.params as { '*': string })['*'] ?? '';
    if (API_PREFIXES.has(rel.split('/')[0]))
      throw new AppError('NOT_FOUND', `No route ${request.method} /${rel}`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      throw new AppError('NOT_FOUND', `No file /${rel}`);
    }
    const file = path.resolve(root, decoded);
    if (file.startsWith(root + path.sep) && rel !== '') {
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) {
        const ext = path.extname(file);
        reply.header('content-type', TYPES[ext] ?? 'application/octet-stream');
        reply.header(
          'cache-control',
          rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        return reply.send(await readFile(file));
      }
      // A missing file with an extension (a stale asset link) is a 404, not the app.
      if (path.extname(rel) !== '') throw new AppError('NOT_FOUND', `No file /${rel}`);
    }
    const index = await readFile(path.join(root, 'index.html')).catch(() => null);
    if (!index) {
      return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT_MESSAGE);
    }
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html; charset=utf-8').send(index);
  });
}
