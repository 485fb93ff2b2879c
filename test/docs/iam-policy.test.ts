import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

// docs/iam-policy.json lists exactly the AWS actions the code calls (issue 20 item 5): every
// SDK operation servesim sends, found in the sources as `paginate<Op>` or `<Op>Command`, maps
// to `<service prefix>:<Op>` by the client package it comes from.

/** IAM service prefix of each AWS SDK client package servesim may use. */
const PREFIX: Record<string, string> = {
  'client-cloudwatch': 'cloudwatch',
  'client-pricing': 'pricing',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `<prefix>:<Op>` for every SDK operation a source file calls. */
function actionsIn(text: string): string[] {
  const clients = [...text.matchAll(/@aws-sdk\/(client-[a-z-]+)/g)].map((m) => m[1]!);
  const ops = new Set([
    ...[...text.matchAll(/\bpaginate([A-Z]\w+)\b/g)].map((m) => m[1]!),
    ...[...text.matchAll(/\bnew ([A-Z]\w+)Command\b/g)].map((m) => m[1]!),
  ]);
  if (ops.size === 0) return [];
  const used = [...new Set(clients)];
  expect(
    used.every((c) => c in PREFIX),
    `an SDK client without a known IAM prefix: ${used.join(', ')}`,
  ).toBe(true);
  expect(used, 'one SDK client per file that sends operations').toHaveLength(1);
  return [...ops].map((op) => `${PREFIX[used[0]!]}:${op}`);
}

describe('docs/iam-policy.json', () => {
  it('allows exactly the actions the code calls, each statement named for its command', () => {
    const called = new Set(sources(join(ROOT, 'src')).flatMap((f) => actionsIn(readFileSync(f, 'utf8'))));
    const policy = JSON.parse(readFileSync(join(ROOT, 'docs/iam-policy.json'), 'utf8')) as {
      Statement: { Sid: string; Effect: string; Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action));
    expect([...called].sort()).toEqual([...allowed].sort());
    expect([...called].sort()).toEqual(['cloudwatch:GetMetricData', 'pricing:GetProducts']);
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it('finds an operation the policy would miss (the check can fail)', () => {
    const text =
      "import { X } from '@aws-sdk/client-pricing';\nawait client.send(new DescribeServicesCommand({}));";
    expect(actionsIn(text)).toEqual(['pricing:DescribeServices']);
  });
});
