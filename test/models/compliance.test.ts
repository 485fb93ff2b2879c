import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../src/models/registry.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';

/*
 * Issue 15 item 10: every option carries `facts.compliance`, and a yes or no is never given
 * without a source — "uncertain where unsourced".
 */

const model = ModelSpecSchema.parse({});

describe('facts.compliance', () => {
  it.each(OPTIONS.map((o) => [o.id, o] as const))('%s: every yes/no has a source', (_id, o) => {
    const c = o.facts(model).compliance;
    expect(c.weightsLocation.length).toBeGreaterThan(0);
    const told = [c.hipaaEligible, c.privateLink, c.cloudTrail].filter((v) => v !== 'uncertain');
    if (told.length > 0) expect(c.sources.length).toBeGreaterThan(0);
    for (const v of [c.hipaaEligible, c.privateLink, c.cloudTrail])
      expect(['yes', 'no', 'uncertain']).toContain(v);
  });

  it('Bedrock paths are HIPAA eligible, reachable through PrivateLink and logged by CloudTrail, each sourced from AWS docs', () => {
    for (const id of ['bedrock-cmi', 'bedrock-on-demand', 'bedrock-provisioned']) {
      const c = OPTIONS.find((o) => o.id === id)!.facts(model).compliance;
      expect(c, id).toMatchObject({ hipaaEligible: 'yes', privateLink: 'yes', cloudTrail: 'yes' });
      expect(c.sources.join(' '), id).toContain('bedrock/latest/userguide/vpc-interface-endpoints.html');
      expect(c.sources.join(' '), id).toContain('bedrock/latest/userguide/logging-using-cloudtrail.html');
    }
  });

  it('SageMaker invocations are not in CloudTrail, and an unsourced fixed fleet is uncertain throughout', () => {
    const sm = OPTIONS.find((o) => o.id === 'sagemaker-realtime')!.facts(model).compliance;
    expect(sm.cloudTrail).toBe('no');
    const ff = OPTIONS.find((o) => o.id === 'fixed-fleet')!.facts(model).compliance;
    expect(ff).toMatchObject({
      hipaaEligible: 'uncertain',
      privateLink: 'uncertain',
      cloudTrail: 'uncertain',
      sources: [],
    });
  });
});
