import { readShippedJson } from './data.js';

/** servesim's version, from package.json (the only field of the result that names the program). */
export const VERSION: string = (readShippedJson('package.json') as { version: string }).version;
