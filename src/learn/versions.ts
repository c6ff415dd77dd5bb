/**
 * Champion and challenger versions in the model registry. The champion is the promoted version; the
 * challenger is the newest version registered after every version ever promoted (so neither a
 * version rolled back from nor an older untested one becomes a challenger after a rollback). The offer-confidence model lives in the registry as
 * `offers-confidence`; before its first registered version is promoted, the champion is the file
 * `offers/confidence.json` written by `nextoffer offers train` (version `artifact:<sha256 prefix>`),
 * or no model at all (the catalog prior).
 */
import { createHash } from 'node:crypto';
import { AppError, errorMessage } from '../errors.js';
import { ConfidenceModel } from '../offers/confidence.js';
import { CONFIDENCE_ARTIFACT } from '../offers/feedback.js';
import type { ArtifactStore } from '../store/artifacts.js';
import type { ModelRegistry, ModelVersion } from '../store/registry.js';
import { parseReference, type DriftReference } from './drift.js';

export const CONFIDENCE_MODEL = 'offers-confidence';
const ARTIFACT_PREFIX = 'artifact:';

/** The model source `ModelHolder` polls (same shape as `PromotedSource` in `src/api/model-holder.ts`). */
export interface VersionSource {
  promoted(name: string): Promise<{ version: string } | null>;
}

/**
 * The challenger of a model: the newest version registered after every version ever promoted, or
 * null. After a rollback there is none until a new version is registered.
 */
export async function challengerOf(registry: ModelRegistry, name: string): Promise<ModelVersion | null> {
  const history = await registry.history(name);
  const newestPromoted = history.reduce((m, h) => Math.max(m, h.version), 0);
  const [newest] = await registry.list(name);
  return newest !== undefined && newest.version > newestPromoted ? newest : null;
}

/** Holder version meaning "no challenger" (its load gives null), so a holder drops a stale one. */
export const NO_CHALLENGER = '0';

/** The challenger as a `ModelHolder` source (`NO_CHALLENGER` when there is none). */
export function challengerSource(registry: ModelRegistry): VersionSource {
  return {
    promoted: async (name) => {
      const v = await challengerOf(registry, name);
      return { version: v === null ? NO_CHALLENGER : String(v.version) };
    },
  };
}

async function artifactVersion(artifacts: ArtifactStore): Promise<string | null> {
  if (!(await artifacts.exists(CONFIDENCE_ARTIFACT))) return null;
  const bytes = await artifacts.get(CONFIDENCE_ARTIFACT);
  return ARTIFACT_PREFIX + createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/** The confidence champion: the promoted registry version, else the `offers train` file, else none. */
export function confidenceChampionSource(registry: ModelRegistry, artifacts: ArtifactStore): VersionSource {
  return {
    promoted: async (name) => {
      const v = await registry.promoted(name);
      if (v !== null) return { version: String(v.version) };
      const a = await artifactVersion(artifacts);
      return a === null ? null : { version: a };
    },
  };
}

/** Loads a confidence model by holder version (registry number or `artifact:…`). */
export async function loadConfidenceVersion(
  registry: ModelRegistry,
  artifacts: ArtifactStore,
  version: string,
): Promise<ConfidenceModel> {
  const where = version.startsWith(ARTIFACT_PREFIX) ? CONFIDENCE_ARTIFACT : `${CONFIDENCE_MODEL} v${version}`;
  const bytes = version.startsWith(ARTIFACT_PREFIX)
    ? await artifacts.get(CONFIDENCE_ARTIFACT)
    : await registry.load(CONFIDENCE_MODEL, Number(version));
  try {
    return ConfidenceModel.fromJSON(JSON.parse(bytes.toString('utf8')));
  } catch (e) {
    throw new AppError('ARTIFACT_STORE_ERROR', `${where}: ${errorMessage(e)}`, { cause: e });
  }
}

/** `name:version` label of a held version (`confidence:<hash>` for the legacy file, as before). */
export function versionLabel(name: string, version: string): string {
  return version.startsWith(ARTIFACT_PREFIX)
    ? `confidence:${version.slice(ARTIFACT_PREFIX.length)}`
    : `${name}:${version}`;
}

/** The drift reference saved in a version's params (`params.drift`), or null when it has none. */
export function driftReferenceOf(v: ModelVersion): DriftReference | null {
  const raw = v.params.drift;
  return raw === undefined || raw === null
    ? null
    : parseReference(raw, `${v.name} v${v.version} params.drift`);
}
