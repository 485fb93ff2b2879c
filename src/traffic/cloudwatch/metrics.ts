/* What to read from CloudWatch for each kind of target: namespace, dimensions, metric queries. */

export type CloudWatchTarget =
  { kind: 'bedrock'; modelId: string } | { kind: 'sagemaker'; endpoint: string; variant: string };

export interface Metric {
  id: string;
  name: string;
  stat: 'Sum' | 'Maximum' | 'Average';
  /** Multiply values by this (SageMaker ModelLatency is in microseconds). */
  scale: number;
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
