import { runScenario, type RunOutput } from '../../src/compare/run.js';
import { loadScenarioFile, parseScenarioText } from '../../src/scenario/load.js';
import { DEFAULT_SCENARIO } from '../../src/commands/run.js';

/*
 * Runs the report tests draw from: the default scenario (the golden files' subject) and a small
 * synthetic one with an infeasible option, a priced fixed fleet and two days of traffic.
 */

let defaultOut: RunOutput | null = null;

/** The default scenario (scenarios/medical-notes.yaml) at its own seed; simulated once per file. */
export function defaultRun(): RunOutput {
  defaultOut ??= runScenario(loadScenarioFile(DEFAULT_SCENARIO));
  return defaultOut;
}

export const SMALL_YAML = `
name: 'Small <test> & "quotes"'
description: Two days of a trickle; a fixed fleet and an option that cannot serve this model.
seed: 3
timezone: Europe/Berlin
model:
  name: tiny-gpt
  provenance: imported
  architecture: GPT2LMHeadModel
  parameters: 1.2e8
  bytesPerParameter: 2
  contextLength: 1024
traffic:
  days: 2
  components:
    - type: trickle
      from: '08:00'
      to: '18:00'
      count: 300
      inputTokens: { dist: fixed, value: 100 }
      outputTokens: { dist: fixed, value: 20 }
options:
  - id: fixed-fleet
    key: box
    replicas: 2
    hourlyPrice: 1.5
  - id: bedrock-cmi
    key: cmi
`;

export function smallRun(): RunOutput {
  return runScenario(parseScenarioText(SMALL_YAML, 'small.yaml'));
}
