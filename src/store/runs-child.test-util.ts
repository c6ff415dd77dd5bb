/** Child process of runs-heartbeat.test.ts: starts a run with a fast heartbeat and waits to be killed. */
import { openPglite } from './db-pglite.js';
import { migrate } from './migrate.js';
import { Runs } from './runs.js';

const db = await openPglite({ dataDir: process.argv[2] });
await migrate(db);
const run = await new Runs(db, { heartbeatMs: 50, staleAfterMs: 1000 }).start({
  kind: 'train',
  name: 'reco',
  gitCommit: null,
});
process.stdout.write(`${run.id}\n`);
setInterval(() => undefined, 1000);
