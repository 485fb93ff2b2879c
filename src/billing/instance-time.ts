/** One instance's life: seconds from the trace start (a simulated replica's life satisfies it). */
export interface InstanceLife {
  /** Launch: billing starts. */
  requestedAt: number;
  /** Removal (or the end of the run): billing stops. */
  removedAt: number;
}

/**
 * Instance-time meters: replicas billed per second from launch (`requestedAt`) to removal, as
 * SageMaker and EC2 bill instances. Pure functions of the recorded lifetimes.
 *
 * Example: two replicas each alive 0–5400 s → 10,800 instance-seconds = 3 instance-hours; at
 * $1.515/h that is $4.545.
 */
export function instanceSeconds(replicas: readonly InstanceLife[]): number {
  let s = 0;
  for (const r of replicas) s += r.removedAt - r.requestedAt;
  return s;
}

/** Cumulative instance-seconds × `pricePerSecond` at the end of each minute. */
export function instanceCostSoFar(
  replicas: readonly InstanceLife[],
  minutes: number,
  pricePerSecond: number,
): Float64Array {
  const perMinute = new Float64Array(minutes);
  for (const r of replicas) {
    const end = Math.min(r.removedAt, minutes * 60);
    for (let m = Math.floor(r.requestedAt / 60); m * 60 < end; m++) {
      perMinute[m]! += Math.min(end, (m + 1) * 60) - Math.max(r.requestedAt, m * 60);
    }
  }
  let acc = 0;
  for (let m = 0; m < minutes; m++) {
    acc += perMinute[m]! * pricePerSecond;
    perMinute[m] = acc;
  }
  return perMinute;
}
