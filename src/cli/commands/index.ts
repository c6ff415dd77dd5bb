import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerIngest } from './ingest.js';
import { registerGenerate } from './generate.js';
import { registerStart } from './start.js';
import { registerDataset } from './dataset.js';
import { registerCheck } from './check.js';
import { registerEvaluate } from './evaluate.js';
import { registerTrain } from './train.js';
import { registerRecommend } from './recommend.js';
import { registerModels } from './models.js';
import { registerRuns } from './runs.js';
import { registerCatalog } from './catalog.js';
import { registerOffers } from './offers.js';
import { registerCompliance } from './compliance.js';
import { registerSegment } from './segment.js';
import { registerServe } from './serve.js';
import { registerUsers } from './users.js';
import { registerPolicy } from './policy.js';
import { registerRetrain } from './retrain.js';
import { registerDrift } from './drift.js';
import { registerScore } from './score.js';
import { registerWorker } from './worker.js';

/** One line per command; each command lives in its own file. */
export function registerCommands(program: Command): void {
  registerStart(program);
  registerGenerate(program);
  registerIngest(program);
  registerDataset(program);
  registerConfig(program);
  registerCheck(program);
  registerEvaluate(program);
  registerTrain(program);
  registerRecommend(program);
  registerModels(program);
  registerRuns(program);
  registerCatalog(program);
  registerOffers(program);
  registerCompliance(program);
  registerSegment(program);
  registerServe(program);
  registerUsers(program);
  registerPolicy(program);
  registerRetrain(program);
  registerDrift(program);
  registerScore(program);
  registerWorker(program);
}
