import { readShippedJson } from '../data.js';

/** `yes` / `no` as a source says, `uncertain` where none was read. */
export type Tri = 'yes' | 'no' | 'uncertain';

/**
 * The article's sixth concern, per option (design §11 `facts.compliance`): HIPAA eligibility,
 * private connectivity through AWS PrivateLink, whether inference calls land in CloudTrail, and
 * where the weights live. Data in src/models/compliance.json, each row with its sources.
 */
export interface ComplianceFacts {
  hipaaEligible: Tri;
  privateLink: Tri;
  cloudTrail: Tri;
  weightsLocation: string;
  /** Qualifications a yes/no cannot carry (e.g. "management calls only"). */
  note?: string;
  sources: string[];
}

let cache: Record<string, ComplianceFacts> | undefined;

/** The compliance facts of an option id; an id without a row is uncertain on every count. */
export function complianceFacts(id: string): ComplianceFacts {
  cache ??= (readShippedJson('src/models/compliance.json') as { options: Record<string, ComplianceFacts> })
    .options;
  return (
    cache[id] ?? {
      hipaaEligible: 'uncertain',
      privateLink: 'uncertain',
      cloudTrail: 'uncertain',
      weightsLocation: 'not recorded',
      sources: [],
    }
  );
}
