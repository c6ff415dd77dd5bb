export { GradientBoosting, type GbdtFitRun } from './model.js';
export { GBDT_DEFAULTS, resolveOptions, type GbdtObjective, type GbdtOptions } from './options.js';
export { GBDT_KIND, GBDT_VERSION, type GbdtJSON } from './serialize.js';
