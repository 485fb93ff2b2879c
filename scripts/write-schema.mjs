// Writes schema/scenario.schema.json from the compiled sources (run by `npm run build`): the
// scenario file's JSON Schema shipped in the package for editors (yaml-language-server).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioSchemaText } from '../dist/src/commands/schema.js';

writeFileSync(join(import.meta.dirname, '../schema/scenario.schema.json'), scenarioSchemaText());
