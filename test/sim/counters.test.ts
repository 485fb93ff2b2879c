import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/engine.js';
import { Admit, type Fleet, type FleetConfig, type FleetPolicy } from '../../src/sim/fleet.js';
import { userTokens } from '../../src/sim/record.js';
import { RequestClass, type ArrivalStream } from '../../src/traffic/types.js';

/*
 * The engine's per-class counters and its start hook, worked by hand on one replica with one
 * slot and a fixed 10 s service time.
 */

type Row = [t: number, inputTokens: number, outputTokens: number, cls: number];

class Rows implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 0;
  cls = 0;
  private k = -1;
  constructor(private readonly rows: Row[]) {}
  next(): boolean {
    const r = this.rows[++this.k];
    if (r === undefined) return false;
    [this.t, this.inputTokens, this.outputTokens, this.cls] = r;
    return true;
  }
}

const { interactive: I, batch: B, heartbeat: H } = RequestClass;

/** Admits everything; at `interruptAt` interrupts replica 0 and asks for a replacement ready at once. */
class Interrupting implements FleetPolicy {
  readonly starts: [replica: number, t: number][] = [];
  constructor(private readonly interruptAt: number) {}
  onStart(fleet: Fleet): void {
    fleet.setTimer(this.interruptAt, 0);
  }
  onArrival(): number {
    return Admit.admit;
  }
  onQueued(): void {}
  onIdle(): void {}
  onReady(): void {}
  onTimer(fleet: Fleet): void {
    fleet.interruptReplica(0);
    fleet.addReplica(0, false);
  }
  onServiceStart(replica: number, t: number): void {
    this.starts.push([replica, t]);
  }
}

function config(policy: FleetPolicy | null): FleetConfig {
  return { slotsPerReplica: 1, routing: 'pack', service: { time: () => 10 }, initialReplicas: 1, policy };
}

describe('per-class counters', () => {
  // Interactive at 0 (100 in, 10 out), batch at 5 (200, 20); a heartbeat at 30 (1, 1).
  const users = (): Rows =>
    new Rows([
      [0, 100, 10, I],
      [5, 200, 20, B],
    ]);
  const beats = (): Rows => new Rows([[30, 1, 1, H]]);

  it('counts arrivals and tokens per request class; the user classes make the user totals', () => {
    const r = simulate(config(null), users(), beats(), 60);
    expect(Array.from(r.tokensByClass.input)).toEqual([100, 200, 1]);
    expect(Array.from(r.tokensByClass.output)).toEqual([10, 20, 1]);
    expect(userTokens(r.tokensByClass.input)).toBe(300);
    expect(r).toMatchObject({ arrived: 2, served: 2, heartbeats: 1, failed: 0 });
    // The batch request waits for the slot: starts at 10, done at 20 → 15 s; interactive 10 s.
    expect(r.latency.interactive?.max).toBe(10);
    expect(r.latency.batch?.max).toBe(15);
  });

  it('takes back an interrupted start: its tokens count once, when it starts again', () => {
    const policy = new Interrupting(3);
    const r = simulate(config(policy), users(), beats(), 60);
    // Interactive starts at 0 on replica 0, is interrupted at 3 and restarts at 3 on replica 1
    // (done 13); batch waits until 13 (done 23); the heartbeat starts at 30.
    expect(policy.starts).toEqual([
      [0, 0],
      [1, 3],
      [1, 13],
      [1, 30],
    ]);
    expect(Array.from(r.tokensByClass.input)).toEqual([100, 200, 1]);
    expect(Array.from(r.tokensByClass.output)).toEqual([10, 20, 1]);
    expect(r.latency.interactive?.max).toBe(13);
    expect(r.latency.batch?.max).toBe(18);
    // Each replica's starts: the interrupted one is not taken back from replica 0.
    expect(r.replicas.map((x) => x.starts)).toEqual([1, 3]);
  });
});
