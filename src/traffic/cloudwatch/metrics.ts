/* What to read from CloudWatch for each kind of target: namespace, dimensions, metric queries. */

export type CloudWatchTarget =
  { kind: 'bedrock'; modelId: string } | { kind: 'sagemaker'; endpoint: string; variant: string };

/** A target of a multi-model import with the name its rows carry in the trace's `model` column. */
export interface NamedTarget {
  name: string;
  target: CloudWatchTarget;
}

export interface Metric {
  id: string;
  name: string;
  stat: 'Sum' | 'Maximum' | 'Average';
  /** Multiply values by this (SageMaker ModelLatency is in microseconds). */
  scale: number;
}

/** One metric of one target: its query id (unique; `[a-z][a-zA-Z0-9_]*`), where it lives, how to read it. */
export interface MetricSeries extends Metric {
  namespace: string;
  dims: { Name: string; Value: string }[];
}

export function metricsOf(target: CloudWatchTarget): {
  namespace: string;
  dims: { Name: string; Value: string }[];
  metrics: Metric[];
} {
  if (target.kind === 'bedrock')
    return {
      namespace: 'AWS/Bedrock',
      dims: [{ Name: 'ModelId', Value: target.modelId }],
      metrics: [
        { id: 'inv', name: 'Invocations', stat: 'Sum', scale: 1 },
        { id: 'tin', name: 'InputTokenCount', stat: 'Sum', scale: 1 },
        { id: 'tout', name: 'OutputTokenCount', stat: 'Sum', scale: 1 },
        { id: 'thr', name: 'InvocationThrottles', stat: 'Sum', scale: 1 },
        { id: 'cop', name: 'ModelCopy', stat: 'Maximum', scale: 1 },
        { id: 'lat', name: 'InvocationLatency', stat: 'Average', scale: 1 },
      ],
    };
  return {
    namespace: 'AWS/SageMaker',
    dims: [
      { Name: 'EndpointName', Value: target.endpoint },
      { Name: 'VariantName', Value: target.variant },
    ],
    metrics: [
      { id: 'inv', name: 'Invocations', stat: 'Sum', scale: 1 },
      { id: 'lat', name: 'ModelLatency', stat: 'Average', scale: 1 / 1000 },
    ],
  };
}

export function describeTarget(target: CloudWatchTarget): string {
  return target.kind === 'bedrock'
    ? `AWS/Bedrock ModelId=${target.modelId}`
    : `AWS/SageMaker EndpointName=${target.endpoint} VariantName=${target.variant}`;
}

/**
 * The target's metric series for one GetMetricData call; `prefix` keeps query ids unique when
 * several targets share the call (`m0_inv`, `m1_inv`; ids must start with a lower-case letter).
 */
export function seriesOf(target: CloudWatchTarget, prefix = ''): MetricSeries[] {
  const { namespace, dims, metrics } = metricsOf(target);
  return metrics.map((m) => ({ ...m, id: prefix + m.id, namespace, dims }));
}
