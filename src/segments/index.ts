/** The segmentation domain: what the CLI and the API import. */
export { SegmentModel, SEGMENT_MODEL_KIND, SEGMENT_MODEL_VERSION } from './model.js';
export type { SegmentAssignment, SegmentInfo, SegmentModelJSON } from './model.js';
export { runSegmentation, type SegmentOptions, type SegmentReport } from './run.js';
export { loadSegmentInput, type SegmentInput } from './load.js';
export { saveSegmentation, SEGMENT_MODEL_NAME } from './save.js';
export { SEGMENT_FORMATS, type FormatFlag, type SegmentFormat } from './formats.js';
