/** Worker-thread entry of `trainReco` (`reco-train-job.ts`): trains once and replies. */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, errorMessage } from '../errors.js';
import { trainRecoArtifact, type RecoTrainInput, type WorkerReply } from './reco-train-job.js';

async function run(): Promise<void> {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: await trainRecoArtifact(workerData as RecoTrainInput) };
  } catch (e) {
    reply = { ok: false, code: e instanceof AppError ? e.code : null, message: errorMessage(e) };
  }
  parentPort?.postMessage(reply);
}

void run();
