import { readShippedJson } from '../data.js';
import type { SagemakerRealtimeSettings } from './sagemaker-realtime.js';
import { instanceSizing } from './slo-sizing.js';
import { decision, fact, OPS } from './uncertain-forms.js';
import type { ServingOption } from './types.js';

/*
 * SageMaker real-time's planning hooks (src/models/hooks.ts), merged into the option in
 * registry.ts: instance lines for the SLO search, its uncertain settings, blue/green rollout.
 */

interface LaunchDefaults {
  defaults: { launchTime: { median: number; low: number; high: number } };
}

/** Instance type × min/max instances; JumpStart sizes the same way. */
export const sagemakerSizing = instanceSizing({
  service: 'AmazonSageMaker',
  prefix: 'ml.',
  min: 'minInstances',
  max: 'maxInstances',
  unit: 'instances',
  defaults: 'src/models/sagemaker-realtime.json',
});

type Hooks = Pick<ServingOption<SagemakerRealtimeSettings>, 'sloSizing' | 'uncertain' | 'rollout'>;

export const sagemakerRealtimePlanning: Hooks = {
  sloSizing: sagemakerSizing,
  uncertain: {
    settings: {
      minInstances: decision('min instances', 'int'),
      maxInstances: decision('max instances', 'int'),
      targetInvocationsPerInstance: decision('target invocations/instance/min', 'number'),
      scaleOutDatapoints: fact('scale-out datapoints', 'int'),
      scaleInDatapoints: fact('scale-in datapoints', 'int'),
      scaleOutCooldown: decision('scale-out cooldown', 'dist'),
      scaleInCooldown: decision('scale-in cooldown', 'dist'),
      launchTime: fact('launch time', 'dist'),
      ...OPS,
    },
    minMax: [['minInstances', 'maxInstances']],
  },
  rollout: {
    kind: 'second-fleet',
    ready(s) {
      if (s.launchTime !== undefined) return s.launchTime;
      const d = (readShippedJson('src/models/sagemaker-realtime.json') as LaunchDefaults).defaults.launchTime;
      return { low: d.low, value: d.median, high: d.high };
    },
    askedSize: (s) => (typeof s.blueGreenCapacity === 'number' ? s.blueGreenCapacity : 0),
    fixedSize: (n) => ({ minInstances: n, maxInstances: n }),
    names: { v1: 'v1 (blue)', v2: 'v2 (green)', unit: 'instance' },
    rollbackRetired: (after) =>
      `blue was torn down ${after} after the flip: update the endpoint back to v1's config and wait for new instances`,
    rollbackLive: 'shift traffic back to blue, which still runs (blue/green rollback)',
    note: (green, asked, ready) =>
      `Blue/green: a green fleet of ${green} instance${green === 1 ? '' : 's'} (${asked ? 'blueGreenCapacity' : 'as many as blue had in service at the update'}) is billed from the update until blue is torn down; after that the endpoint runs as one fleet. Endpoint creation ${Math.round(ready.value / 60)} min (band ${Math.round(ready.low / 60)}–${Math.round(ready.high / 60)} min).`,
  },
};
