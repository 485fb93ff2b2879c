import { z } from 'zod';
import { ScenarioSchema } from '../scenario/schema.js';
import type { Io } from './context.js';

/** `servesim schema`: the scenario file's JSON Schema (input form: durations as text). */
export function schemaCommand(io: Io): void {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
  io.out(JSON.stringify({ title: 'servesim scenario', ...schema }, null, 2) + '\n');
}
