import { readShippedJson } from '../data.js';
import type { SelfHostedSettings } from './self-hosted.js';
import { instanceSizing } from './slo-sizing.js';
import { decision, fact, OPS } from './uncertain-forms.js';
import type { ServingOption } from './types.js';

/*
 * Self-hosted vLLM's planning hooks (src/models/hooks.ts), merged into the option in
 * registry.ts: node lines for the SLO search, its uncertain settings, a second fleet on rollout.
 */

interface ProvisionDefaults {
  defaults: { provisionTime: { median: number; low: number; high: number } };
}

type Hooks = Pick<ServingOption<SelfHostedSettings>, 'sloSizing' | 'uncertain' | 'rollout'>;

export const selfHostedPlanning: Hooks = {
  sloSizing: instanceSizing({
    service: 'AmazonEC2',
    prefix: '',
    min: 'minNodes',
    max: 'maxNodes',
    unit: 'nodes',
    defaults: 'src/models/self-hosted.json',
  }),
  uncertain: {
    settings: {
      minNodes: decision('min nodes', 'int'),
      maxNodes: decision('max nodes', 'int'),
      scaleOutAfter: decision('scale out after', 'number'),
      scaleDownUnneededTime: decision('scale down unneeded time', 'number'),
      hpaTargetUtilization: decision('HPA target', 'number'),
      hpaScaleDownStabilization: decision('HPA scale-down stabilization', 'number'),
      provisionTime: fact('node provision + model load', 'dist'),
      spotDiscount: { ...fact('spot discount', 'number'), billingOnly: true },
      interruptionRatePerHour: fact('spot interruptions', 'number'),
      ...OPS,
    },
    minMax: [['minNodes', 'maxNodes']],
  },
  rollout: {
    kind: 'second-fleet',
    ready(s) {
      if (s.provisionTime !== undefined) return s.provisionTime;
      const d = (readShippedJson('src/models/self-hosted.json') as ProvisionDefaults).defaults.provisionTime;
      return { low: d.low, value: d.median, high: d.high };
    },
    fixedSize: (n) => ({ minNodes: n, maxNodes: n }),
    names: { v1: 'v1 fleet', v2: 'v2 fleet', unit: 'node' },
    rollbackRetired: (after) =>
      `the old fleet was removed ${after} after the flip: redeploy v1 and wait for nodes and the model to load`,
    rollbackLive: 'switch the Service back to the old Deployment, which still runs',
    note: (nodes, _asked, ready) =>
      `A second fleet of ${nodes} node${nodes === 1 ? '' : 's'} (as many as ran at the update) from the update until the old fleet is removed; the cluster and ops are shared. Node provision + model load ${Math.round(ready.value / 60)} min (band ${Math.round(ready.low / 60)}–${Math.round(ready.high / 60)} min).`,
  },
};
