import { splitByReservation } from '../billing/shared-instances.js';
import { costSplit, lineIdOf, type Bill, type CostLine } from '../billing/lines.js';
import { multiLoraOn, resolveMultiLora, type MultiLora } from '../models/multi-lora.js';
import { selfHosted, type SelfHostedSettings } from '../models/self-hosted.js';
import type { Assumption } from '../models/types.js';
import type { ModelSpec } from '../models/model-spec.js';
import { withDiscounts } from '../pricing/discounts.js';
import type { ScenarioOption } from '../scenario/schema.js';
import type { SimRecord } from '../sim/record.js';
import { simulateGroup, type GroupRun } from './lora-fleet.js';
import { mergeRecords } from './records.js';
import {
  registerSharedOption,
  type SharedModelInput,
  type SharedOptionContext,
  type SharedOutcome,
  type SharedPortfolioOption,
} from './shared.js';

/*
 * `self-hosted` with `multiLora` over a portfolio (issue 21 item 2; docs/portfolio.md,
 * "Self-hosted multi-LoRA"):
 *
 *   models grouped by base: every LoRA entry of base B, and B itself when it is an entry, share
 *   one node group serving B; a full-weight model no adapter names is a group of its own
 *   ─► per group: the option prepared for the base (instance, node scaling, prices) ─► simulated
 *      once over its models' merged requests (lora-fleet.ts) ─► billed: its nodes and its ops
 *   ─► one EKS cluster for every group ─► each line split by the models' busy seconds
 */

/** How the shared lines are divided among models. */
export const LORA_SPLIT = 'busy-seconds';

/** One node group: the base it serves and its models (indexes into the portfolio, in order). */
export interface NodeGroup {
  base: string;
  members: number[];
  /** True when some member is a LoRA adapter (the group runs multi-LoRA). */
  adapters: boolean;
}

/**
 * Models grouped by the base they run on, in order of each group's first model.
 * Example: [base (full), a (lora of base), other (full)] → [base: 0, 1], [other: 2].
 */
export function nodeGroups(models: readonly Pick<SharedModelInput, 'model' | 'fineTune'>[]): NodeGroup[] {
  const groups = new Map<string, NodeGroup>();
  models.forEach((m, i) => {
    const base = m.fineTune === 'full' ? m.model : m.fineTune.lora.base;
    const g = groups.get(base) ?? { base, members: [], adapters: false };
    g.members.push(i);
    if (m.fineTune !== 'full') g.adapters = true;
    groups.set(base, g);
  });
  return [...groups.values()];
}

/** The rules and approximations this option states on a portfolio. */
const RULES: Assumption[] = [
  {
    name: 'multi-LoRA node groups',
    value: 'one node group per base model; full-weight models are not packed together by GPU memory',
    unit: '',
    source:
      'servesim rule (docs/portfolio.md): adapters of one base and the base share one vLLM node group; a full-weight model no adapter names runs on a node group of its own; all groups share one EKS cluster; ops is counted once per group',
    uncertain: false,
  },
  {
    name: 'adapter residency',
    value: 'LRU per node; a miss adds the load time to that request’s service',
    unit: '',
    source:
      'servesim approximation (docs/portfolio.md): a node keeps up to maxResidentAdapters adapters, the least recently used evicted; the load holds the request’s slot (it does not stall the node’s other requests, as a vLLM engine step loading an adapter would)',
    uncertain: true,
  },
];

export const loraShared: SharedPortfolioOption = {
  id: selfHosted.id,
  split: LORA_SPLIT,
  applies: (settings: ScenarioOption) => multiLoraOn((settings as SelfHostedSettings).multiLora),
  run(models: readonly SharedModelInput[], ctx: SharedOptionContext): SharedOutcome {
    const settings = ctx.settings as SelfHostedSettings;
    const { region } = ctx.scenario;
    if (settings.capacity === 'spot')
      return {
        feasible: false,
        reasons: [
          'multi-LoRA on spot nodes is not modelled (interrupted requests restart elsewhere): use on-demand',
        ],
      };
    const lora = resolveMultiLora(settings.multiLora);
    const groups = nodeGroups(models);
    const specs = groups.map((g) => groupSpec(g, models));
    const checks = specs.map((spec) => selfHosted.feasibility(spec, region, settings, ctx.book));
    if (checks.some((c) => !c.ok))
      return {
        feasible: false,
        reasons: checks.flatMap((c, g) => (c.ok ? [] : c.reasons.map((r) => `${groups[g]!.base}: ${r}`))),
      };

    const runs = groups.map((g, gi) => runGroup(g, specs[gi]!, models, ctx, settings, lora.settings));
    const bill = groupBills(
      groups,
      runs.map((r) => r.bill),
      ctx,
    );
    const perModel = splitBill(bill, groups, runs, models);
    const loads = groups.flatMap((g, gi) =>
      g.adapters
        ? [
            `node group ${g.base}: ${g.members.map((i, k) => `${models[i]!.model} ${runs[gi]!.run.perModel[k]!.adapterLoads} adapter loads`).join(', ')}`,
          ]
        : [],
    );
    return {
      feasible: true,
      reasons: [...new Set(checks.flatMap((c) => c.reasons)), ...loads],
      bill,
      record: mergeRecords(runs.map((r) => r.run.record)),
      perModel,
      assumptions: [
        ...mergedAssumptions(
          groups.map((g) => g.base),
          runs.map((r) => r.assumptions),
        ),
        ...lora.assumptions,
        ...RULES,
      ],
    };
  },
};

registerSharedOption(loraShared);

/** The model a group's nodes load: the base entry when the base is one, else its first adapter (merged fields are the base's). */
function groupSpec(g: NodeGroup, models: readonly SharedModelInput[]): ModelSpec {
  const own = g.members.find((i) => models[i]!.model === g.base);
  return models[own ?? g.members[0]!]!.spec;
}

interface GroupOutcome {
  run: GroupRun;
  bill: Bill;
  assumptions: Assumption[];
}

function runGroup(
  g: NodeGroup,
  spec: ModelSpec,
  models: readonly SharedModelInput[],
  ctx: SharedOptionContext,
  settings: SelfHostedSettings,
  lora: MultiLora,
): GroupOutcome {
  const ms = g.members.map((i) => models[i]!);
  const requests = ms.reduce((s, m) => s + m.trace.requests, 0);
  const prepared = selfHosted.prepare(
    {
      model: spec,
      region: ctx.scenario.region,
      // The group draws as its first model would alone (a group of one is that model's deployment).
      seed: ms[0]!.seed,
      key: ctx.key,
      book: ctx.book,
      spanSeconds: ctx.spanSeconds,
      calendar: ctx.calendar,
      meanTokens: {
        input: requests > 0 ? ms.reduce((s, m) => s + m.trace.inputTokens, 0) / requests : 250,
        output: requests > 0 ? ms.reduce((s, m) => s + m.trace.outputTokens, 0) / requests : 60,
      },
    },
    settings,
  );
  // A group without adapters is a plain deployment: no adapter kernels, nothing to load.
  const effective: MultiLora = g.adapters ? lora : { ...lora, throughputFactor: 1 };
  const run = simulateGroup(
    prepared.fleet,
    ms.map((m) => ({ model: m.model, users: m.users, adapter: m.fineTune !== 'full' })),
    effective,
    ctx.spanSeconds,
    spec.contextLength,
  );
  return {
    run,
    bill: prepared.bill(run.record),
    // The single-model note does not apply here: this is the portfolio run.
    assumptions: prepared.assumptions.filter((a) => a.name !== 'multi-LoRA'),
  };
}

/** Line ids of each group's own lines (its nodes and ops), for the split. */
const GROUP_LINE = new WeakMap<CostLine, number>();

/**
 * The option's bill: each group's node and ops lines (named after its base when there are
 * several groups) and one EKS control plane for all (the longest any group ran), then discounts.
 */
function groupBills(groups: readonly NodeGroup[], bills: readonly Bill[], ctx: SharedOptionContext): Bill {
  const many = groups.length > 1;
  const lines: CostLine[] = [];
  const ids = new Set<string>();
  let eks: CostLine | undefined;
  bills.forEach((b, gi) => {
    for (const l of b.lines) {
      if (l.lineId === 'eks-control-plane') {
        if (eks === undefined || l.quantity > eks.quantity) eks = l;
        continue;
      }
      let id = many ? `${l.lineId}-${lineIdOf(groups[gi]!.base)}` : l.lineId;
      if (ids.has(id)) id = `${id}-${gi + 1}`;
      ids.add(id);
      const line: CostLine = many ? { ...l, item: `${l.item} [${groups[gi]!.base}]`, lineId: id } : l;
      GROUP_LINE.set(line, gi);
      lines.push(line);
    }
  });
  if (eks) lines.splice(1, 0, eks);
  // Each group's running cost accrues the cluster's hourly price once; the others' copies are taken back.
  const eksPerSecond = (eks?.unitPrice ?? 0) / 3600;
  const bill: Bill = {
    lines,
    billedUnitMinutes: bills.reduce((s, b) => s + (b.billedUnitMinutes ?? 0), 0),
    costSoFar(minutes: number): Float64Array {
      const out = new Float64Array(minutes);
      for (const b of bills) {
        const c = b.costSoFar(minutes);
        for (let i = 0; i < minutes; i++) out[i]! += c[i]!;
      }
      for (let i = 0; i < minutes; i++)
        out[i]! -= (bills.length - 1) * eksPerSecond * Math.min(60 * (i + 1), ctx.spanSeconds);
      return out;
    },
  };
  return withDiscounts(bill, selfHosted.service, ctx.scenario.pricing.discounts);
}

/**
 * Each model's share: a group's own lines split among its models by their busy seconds (service
 * time on the group's nodes, adapter loads included); the shared lines (EKS, discounts) among all
 * models by busy seconds. Equal parts where nobody was busy. The parts of each line add up to it.
 */
function splitBill(
  bill: Bill,
  groups: readonly NodeGroup[],
  runs: readonly GroupOutcome[],
  models: readonly SharedModelInput[],
): { model: string; cost: { total: number; aws: number; staff: number }; record: SimRecord }[] {
  const busy = new Array<number>(models.length).fill(0);
  const records = new Array<SimRecord>(models.length);
  groups.forEach((g, gi) =>
    g.members.forEach((i, k) => {
      busy[i] = runs[gi]!.run.perModel[k]!.busySeconds;
      records[i] = runs[gi]!.run.perModel[k]!.record;
    }),
  );
  const shares: CostLine[][] = models.map(() => []);
  for (const l of bill.lines) {
    const gi = GROUP_LINE.get(l);
    const who = gi === undefined ? models.map((_, i) => i) : groups[gi]!.members;
    const parts = splitByReservation(
      l.amount,
      who.map((i) => busy[i]!),
    );
    who.forEach((i, k) => shares[i]!.push({ ...l, amount: parts[k]! }));
  }
  return models.map((m, i) => ({ model: m.model, cost: costSplit(shares[i]!), record: records[i]! }));
}

/** Rows every group assumed alike once; others once per group, its base in brackets. */
function mergedAssumptions(bases: readonly string[], byGroup: readonly Assumption[][]): Assumption[] {
  const key = (a: Assumption): string => JSON.stringify(a);
  const out: Assumption[] = [];
  const seen = new Set<string>();
  byGroup.forEach((rows, gi) => {
    for (const a of rows) {
      const alike = byGroup.every((other) => other.some((b) => key(b) === key(a)));
      if (alike) {
        if (!seen.has(key(a))) out.push(a);
        seen.add(key(a));
      } else out.push({ ...a, name: `${a.name} [${bases[gi]}]` });
    }
  });
  return out;
}
