import type { Migration } from './index.js';

/**
 * Learning loop: every stored offer and every answer in the request history records which arm of a
 * champion/challenger experiment answered it (`champion` | `challenger`, null outside experiments),
 * the model version that answered (`name:version`), and the experiment (the challenger's
 * `name:version`), so outcomes can be compared per arm (`nextoffer models compare`).
 */
export const migration006: Migration = {
  id: 6,
  name: 'learning',
  sql: `
    alter table offers add column arm text check (arm in ('champion', 'challenger'));
    alter table offers add column model_version text;
    alter table offers add column experiment text;
    create index offers_experiment_idx on offers (experiment, arm) where experiment is not null;
    alter table api_requests add column arm text check (arm in ('champion', 'challenger', 'mixed'));
    alter table api_requests add column experiment text;
    create index api_requests_experiment_idx on api_requests (experiment, arm) where experiment is not null;
  `,
};
