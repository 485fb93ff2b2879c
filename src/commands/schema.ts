import { z } from 'zod';
import { ScenarioSchema } from '../scenario/schema.js';
import type { Io } from './context.js';

/**
 * The scenario file's JSON Schema (input form: durations as text), as `servesim schema` prints it
 * and the package ships it (schema/scenario.schema.json, for editors; a test keeps it current).
 */
export function scenarioSchemaText(): string {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ title: 'servesim scenario', ...schema }, null, 2) + '\n';
}

/** `servesim schema`: the scenario file's JSON Schema. */
export function schemaCommand(io: Io): void {
  io.out(scenarioSchemaText());
}
