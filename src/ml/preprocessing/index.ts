export * from './columns.js';
export * from './scalers.js';
export * from './imputers.js';
export * from './encoders.js';
export * from './pipeline.js';
