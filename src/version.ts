import { readShippedJson } from './data.js';

/** servesim's version, from package.json (the only field of the result that names the program). */
export const VERSION: string = (readShippedJson('package.json') as { version: string }).version;

/**
 * The version of the result files' shape (results.json, breakeven.json, forecast.json; their
 * `schemaVersion`): raised when a field is removed, renamed or changes meaning, never for an added
 * field (docs/model.md, "Result files").
 */
export const SCHEMA_VERSION = 1;
