/*
 * What each serving option's settings mean, in the words editors show (the JSON Schema's
 * descriptions, issue 20 item 4): one sentence, then `Unit: …` and `Default: …`. A default read
 * from the option's data file is quoted with the file and key (`absent = 30s
 * (src/models/bedrock-cmi.json defaults.copyLoadTime)`), which test/docs/schema-descriptions.test.ts
 * checks against the file. The scenario's own fields are in src/scenario/field-docs.ts.
 */
export const OPTION_DOCS = {
  common: {
    opsFte:
      'Share of an engineer’s time running the option needs (the ops cost line, staff time, not billed by AWS). Unit: FTE. Default: absent = the option’s data file: 0.1 (sagemaker-realtime/jumpstart), 0.25 (self-hosted).',
    opsCostPerFteYear:
      'Fully loaded cost of one engineer-year. Unit: USD per FTE-year. Default: absent = 200000 (the option’s data file).',
    id: (id: string): string => `Serving option ${id}. Unit: none. No default: required.`,
    key: 'The option’s name in results, CSVs and charts: lower-case letters, digits, ".", "_", "-"; needed when an id is listed twice. Unit: none. Default: absent = the id.',
    label:
      'Human label for tables and charts. Unit: none. Default: absent = the option’s title (with the key in brackets when one is given).',
    routing:
      'How a request picks among ready replicas with a free slot: pack (the busiest) or least-loaded (the emptiest). Unit: none (pack | least-loaded). Default: absent = pack for bedrock-cmi, least-loaded for the others.',
    perfProfile:
      'Perf profile id (src/models/perf-profiles.json): service time per request and slots. Read by bedrock-cmi and fixed-fleet; SageMaker and self-hosted take the profile of their instance’s GPU. Unit: none. Default: absent = bedrock-cmi-llama-8b (bedrock-cmi), a10g-llama-8b-vllm (fixed-fleet).',
    serviceTime:
      'Service time of every request drawn i.i.d. from this instead of the perf profile (queueing checks: {dist: exponential, mean: 1s}). Unit: s. Default: absent = the perf profile.',
  },
  heartbeat: {
    every:
      'Interval between heartbeats, at most the option’s scale-to-zero time. Unit: s (a duration: 4m). No default: required.',
    during:
      'Local ranges HH:MM-HH:MM (start inclusive, end exclusive, disjoint) in which heartbeats run; one at the start of each, then every `every`. Unit: time of day. Default: the whole day (00:00-24:00).',
    days: 'Days heartbeats run: all, or weekdays (Monday–Friday, local). Unit: none (all | weekdays). Default: all.',
    inputTokens:
      'Input tokens of each heartbeat call (billed like any invocation). Unit: tokens. Default: 1.',
    outputTokens: 'Output tokens of each heartbeat call. Unit: tokens. Default: 1.',
  },
  cmi: {
    slotsPerCopy:
      'Concurrent requests one copy serves (not published by AWS). Unit: requests. Default: absent = 8 (src/models/bedrock-cmi.json defaults.slotsPerCopy).',
    maxCopies:
      'Most copies at once (a planning cap). Unit: copies. Default: absent = 4 (src/models/bedrock-cmi.json defaults.maxCopies).',
    cmusPerCopy:
      'Custom Model Units billed per copy. Unit: CMUs. Default: absent = from model.parameters, the next documented size up (4B → 1, 8B → 2, 70B → 8).',
    cmuVersion:
      'Price-book label of the CMU rate: pricing-example ($0.0785) or 2026-quoted ($0.05718 per CMU-minute in us-east-1). Unit: none. Default: absent = pricing-example, else 2026-quoted, else the book’s first rate for the region.',
    windowRule:
      'Which 5-minute windows a copy is billed for: active (every window its active period touches) or invoked (windows in which it started a request). Unit: none (active | invoked). Default: active.',
    heartbeat:
      'Warm heartbeat: tiny invocations on a schedule that keep a copy from scaling to zero; billed, never user requests. Unit: none (an object). Default: absent = no heartbeat.',
    scaleToZeroAfter:
      'The last copy goes this long after the last arriving invocation. Unit: s (a duration). Default: absent = 5m (src/models/bedrock-cmi.json defaults.scaleToZeroAfter).',
    scaleInAfter:
      'Window of the scale-in rule: an extra copy goes after this long of low load (load) or no assigned request (idle). Unit: s (a duration). Default: absent = 5m (src/models/bedrock-cmi.json defaults.scaleInAfter).',
    scaleInRule:
      'When an extra copy goes: load (the mean load over scaleInAfter fits in one copy fewer) or idle (nothing assigned to it for scaleInAfter). Unit: none (load | idle). Default: absent = load (src/models/bedrock-cmi.json defaults.scaleInRule).',
    scaleOutAfter:
      'A copy is added once requests have queued without a break for this long (beyond the slots of copies still loading), another every this long while it lasts. Unit: s (a duration). Default: absent = 30s (src/models/bedrock-cmi.json defaults.scaleOutAfter).',
    copyLoadTime:
      'Time an added copy takes to load before it serves (scale-out, not from zero). Unit: s (a duration or a distribution). Default: absent = 30s (src/models/bedrock-cmi.json defaults.copyLoadTime).',
    coldStart:
      'Time the first copy takes to start when a call finds none (scaled to zero). Unit: s (a duration or a distribution). Default: absent = lognormal median 30s, p90 60s (src/models/bedrock-cmi.json defaults.coldStart).',
    evictedColdStart:
      'Cold start when no invocation has arrived for longer than evictAfter (the model was evicted). Unit: s (a duration or a distribution). Default: absent = 96s (src/models/bedrock-cmi.json defaults.evictedColdStart).',
    evictAfter:
      'Idle time after which a cold start is the evicted one (evictedColdStart). Unit: s (a duration). Default: absent = 1h (src/models/bedrock-cmi.json defaults.evictAfter).',
  },
  inferenceComponents: {
    instanceType:
      'SageMaker instance type the endpoint’s shared instances are; every copy’s reservation must fit one. Unit: none. Default: absent = ml.g5.12xlarge (src/models/inference-components.json defaults.instanceType).',
    minInstances:
      'Managed instance scaling MinInstanceCount: instances kept while no copy runs (0 = the endpoint scales to zero). Unit: instances. Default: absent = 0 (src/models/inference-components.json defaults.minInstances).',
    maxInstances:
      'Managed instance scaling MaxInstanceCount; copies beyond it are still billed and reported as overflow. Unit: instances. Default: absent = 4 (src/models/inference-components.json defaults.maxInstances).',
    minCopies:
      'Copies of the component always kept; 0 = the component scales to zero and its next call waits for a copy to load. Unit: copies. Default: absent = 1 (src/models/inference-components.json defaults.minCopies).',
    maxCopies:
      'Most copies the component’s target tracking may run (MaxCapacity of DesiredCopyCount). Unit: copies. Default: absent = 4 (src/models/inference-components.json defaults.maxCopies).',
    targetInvocationsPerCopy:
      'Target-tracking target: invocations per copy per minute. Unit: invocations per copy per minute. Default: absent = 70 % of what one copy serves in a minute.',
    reservation:
      'What one copy reserves on an instance (ComputeResourceRequirements). Unit: none (an object). Default: absent = the model’s GPU group and the default memory.',
    accelerators:
      'GPUs one copy reserves (NumberOfAcceleratorDevicesRequired); at least the tensor-parallel group the model needs. Unit: GPUs. Default: absent = the model’s tensor-parallel group on this instance.',
    memoryGiB:
      'Host memory one copy reserves (MinMemoryRequiredInMb ÷ 1,024). Unit: GiB. Default: absent = 1 (src/models/inference-components.json defaults.memoryGiBPerCopy).',
    copyLoadTime:
      'Time for a copy placed on an instance in service to load (container, weights, server start). Unit: s (a duration or a distribution). Default: absent = lognormal median 2m, p90 4m (src/models/inference-components.json defaults.copyLoadTime).',
    launchTime:
      'Time from an instance’s launch to InService, added to the load of a copy that needs a new instance. Unit: s (a duration or a distribution). Default: absent = lognormal median 5m, p90 8m (src/models/sagemaker-realtime.json defaults.launchTime).',
    coldCalls:
      'A call to a component with no copy in service: wait (a client that retries: a cold-start hit) or fail (counted as failed). Unit: none (wait | fail). Default: wait.',
    heartbeat:
      'Warm heartbeat keeping a component scaled to zero warm (design §4.5); only with minCopies 0, every ≤ the scale-to-zero time. Unit: none (an object). Default: absent = no heartbeat.',
  },
  sagemakerRealtime: {
    instanceType:
      'SageMaker instance type (ml.g5.2xlarge); whether the model fits is computed from its GPU memory. Unit: none. Default: absent = ml.g5.2xlarge (src/models/sagemaker-realtime.json defaults.instanceType).',
    minInstances:
      'Instances always kept; 0 = scale to zero with inference components (calls fail until an instance is in service). Unit: instances. Default: absent = 1 (src/models/sagemaker-realtime.json defaults.minInstances).',
    maxInstances:
      'Most instances the scaling policy may run. Unit: instances. Default: absent = 4 (src/models/sagemaker-realtime.json defaults.maxInstances).',
    targetInvocationsPerInstance:
      'Target-tracking target of the InvocationsPerInstance metric. Unit: invocations per instance per minute. Default: absent = 0.7 × the instance’s capacity per minute for the trace’s mean request (at least 1).',
    scaleOutDatapoints:
      'Consecutive 1-minute datapoints above target before a scale-out. Unit: datapoints (minutes). Default: absent = 3 (src/models/sagemaker-realtime.json defaults.scaleOutDatapoints).',
    scaleInDatapoints:
      'Consecutive 1-minute datapoints below the scale-in threshold before a scale-in; with minInstances 0, also the idle minutes before scaling to zero. Unit: datapoints (minutes). Default: absent = 15 (src/models/sagemaker-realtime.json defaults.scaleInDatapoints).',
    scaleOutCooldown:
      'Time after a scale-out before the next one. Unit: s (a duration; only a fixed value is used, a distribution falls back to the default). Default: absent = 5m (src/models/sagemaker-realtime.json defaults.scaleOutCooldown).',
    scaleInCooldown:
      'Time after a scaling action before a scale-in. Unit: s (a duration; only a fixed value is used, a distribution falls back to the default). Default: absent = 5m (src/models/sagemaker-realtime.json defaults.scaleInCooldown).',
    launchTime:
      'Time from an instance’s launch to InService. Unit: s (a duration or a distribution). Default: absent = lognormal median 5m, p90 8m (src/models/sagemaker-realtime.json defaults.launchTime).',
    blueGreenCapacity:
      'Instances of the green fleet during a blue/green update (the rollout analysis); 0 = as many as blue had in service at the update (at least 1). Unit: instances. Default: 0.',
    heartbeat:
      'Warm heartbeat keeping a scale-to-zero endpoint in service; only with minInstances: 0, every at most scaleInDatapoints minutes. Unit: none (an object). Default: absent = no heartbeat.',
  },
  serverless: {
    memoryMB: (sizes: readonly number[]): string =>
      `Memory of each container: one of ${sizes.join(', ')}. Unit: MB. Default: 6144.`,
    maxConcurrency:
      'Most containers at once, each serving one request (1–200). Unit: containers. Default: 20.',
    provisionedConcurrency:
      'Containers kept warm from the start (0–maxConcurrency), billed per GB-second. Unit: containers. Default: 0.',
    coldStart:
      'A container’s start: image, weights download, load. Unit: s (a duration or a distribution). Default: absent = lognormal median 1 s + 2 s per GB of weights, p90 twice that.',
    idleTimeout:
      'An idle container is recycled after this long (not published by AWS). Unit: s (a duration). Default: 10m.',
    provisionedConcurrencyPricePerGBSecond:
      'Price of provisioned concurrency; the price book has none (no published source found), so supply it when provisionedConcurrency > 0. Unit: USD per GB-second. Default: absent = none: with provisionedConcurrency > 0 the option cannot be priced.',
    serviceTime:
      'Service time of every request drawn i.i.d. from this instead of the CPU model (each output token streams the weights once). Unit: s. Default: absent = the CPU model.',
  },
  onDemand: {
    model: (models: readonly string[]): string =>
      `Catalog model billed per token (a base model, not your fine-tune): one of ${models.join(', ')}. Unit: none. Default: llama-3.1-8b-instruct.`,
    endpoint:
      'Regional endpoint, or global cross-region inference (Claude: ~10 % cheaper). Unit: none (regional | global). Default: regional.',
    batchInference:
      'Send batch-class requests through batch inference: the batch rate, latency = batchTurnaround. Unit: none (true | false). Default: false.',
    batchTurnaround:
      'Turnaround of a batch-inference job, reported as the batch requests’ latency. Unit: s (a duration). Default: 1h.',
    rpm: 'Requests-per-minute quota, in fixed one-minute windows; throttled calls are counted, not retried. Unit: requests per minute. Default: absent = the model’s quota in src/models/catalog-models.json.',
    tpm: 'Tokens-per-minute quota (input + output), in fixed one-minute windows. Unit: tokens per minute. Default: absent = the model’s quota in src/models/catalog-models.json.',
    ttft: 'Time to first token of each request. Unit: s (a duration such as 0.4s). Default: absent = the model’s figure in src/models/catalog-models.json.',
    tokensPerSecond:
      'Output tokens per second: a request takes ttft + output tokens / this. Unit: tokens/s. Default: absent = the model’s figure in src/models/catalog-models.json.',
  },
  provisioned: {
    term: 'Provisioned Throughput commitment: none (hourly, no commitment; custom models only), 1m or 6m (the whole term is billed whether used or not). Unit: none (none | 1m | 6m). Default: none.',
    modelUnits: 'Model units bought. Unit: model units. Default: 1.',
    pricePerModelUnitHour:
      'Price of one model unit for an hour (AWS shows it only in its console). Unit: USD per model-unit-hour. Default: absent = the price book’s for model.name and the term; without one the option cannot be priced.',
    tokensPerMinutePerModelUnit:
      'Input + output tokens per minute one model unit sustains (shown in the Bedrock console); requests over it throttle in fixed 1-minute windows. Unit: tokens per minute. Default: absent = none: the option is not feasible without it.',
    ttft: 'Time to first token of each request. Unit: s (a duration such as 0.4s). Default: absent = the Llama 3.1 8B figure in src/models/catalog-models.json.',
    tokensPerSecond:
      'Output tokens per second: a request takes ttft + output tokens / this. Unit: tokens/s. Default: absent = the Llama 3.1 8B figure in src/models/catalog-models.json.',
  },
  nativeFinetune: {
    baseModel: (families: readonly string[]): string =>
      `The Bedrock family fine-tuned on your data (a different model from your weights): one of ${families.join(', ')}. Unit: none. Default: nova-lite.`,
    serving:
      'How it is served: on-demand (custom model deployment, per token; Nova only) or provisioned (Provisioned Throughput). Unit: none (on-demand | provisioned). Default: absent = on-demand for Nova, provisioned for Llama (the family’s first in src/models/bedrock-native.json).',
    term: 'With serving: provisioned, the commitment: none (hourly), 1m or 6m (the whole term is billed). Unit: none (none | 1m | 6m). Default: none.',
    modelUnits: 'With serving: provisioned, the model units bought. Unit: model units. Default: 1.',
    pricePerModelUnitHour:
      'With serving: provisioned, the price of one model unit for an hour (AWS shows it only in its console). Unit: USD per model-unit-hour. Default: absent = the price book’s; without one the option cannot be priced.',
    tokensPerMinutePerModelUnit:
      'With serving: provisioned, input + output tokens per minute one model unit sustains (Bedrock console). Unit: tokens per minute. Default: absent = none: provisioned serving is not feasible without it.',
    rpm: 'With serving: on-demand, the requests-per-minute quota (fixed one-minute windows). Unit: requests per minute. Default: absent = the family’s catalog model quota in src/models/catalog-models.json.',
    tpm: 'With serving: on-demand, the tokens-per-minute quota (input + output, fixed one-minute windows). Unit: tokens per minute. Default: absent = the family’s catalog model quota in src/models/catalog-models.json.',
    ttft: 'Time to first token of each request. Unit: s (a duration such as 0.4s). Default: absent = the family’s catalog model figure in src/models/catalog-models.json.',
    tokensPerSecond:
      'Output tokens per second: a request takes ttft + output tokens / this. Unit: tokens/s. Default: absent = the family’s catalog model figure in src/models/catalog-models.json.',
  },
  selfHosted: {
    instanceType:
      'EC2 instance type of the GPU nodes (g5.2xlarge); whether the model fits is computed from its GPU memory. Unit: none. Default: absent = g5.2xlarge (src/models/self-hosted.json defaults.instanceType).',
    minNodes:
      'Nodes always kept (the Cluster Autoscaler never goes below). Unit: nodes. Default: absent = 1 (src/models/self-hosted.json defaults.minNodes).',
    maxNodes:
      'Most GPU nodes at once. Unit: nodes. Default: absent = 4 (src/models/self-hosted.json defaults.maxNodes).',
    capacity:
      'EC2 capacity type: on-demand, or spot (cheaper by spotDiscount, interrupted at interruptionRatePerHour). Unit: none (on-demand | spot). Default: on-demand.',
    spotDiscount:
      'With capacity: spot, the fraction off the on-demand price. Unit: fraction (0–1). Default: absent = 0.65 (src/models/self-hosted.json defaults.spotDiscount).',
    interruptionRatePerHour:
      'With capacity: spot, interruptions per node-hour (exponential; in-flight requests are re-queued). Unit: per node-hour. Default: absent = 0.02 (src/models/self-hosted.json defaults.interruptionRatePerHour).',
    scaleOutAfter:
      'A pod (on a new node if no empty one is up) is added once requests have queued without a break for this long, another every this long while it lasts. Unit: s (a duration). Default: absent = 30s (src/models/self-hosted.json defaults.scaleOutAfter).',
    scaleDownUnneededTime:
      'Cluster Autoscaler scale-down-unneeded-time: how long a node stays unneeded (its pod gone) before it is removed. Unit: s (a duration). Default: absent = 10m (src/models/self-hosted.json defaults.scaleDownUnneededTime).',
    scaleDownDelayAfterAdd:
      'Cluster Autoscaler scale-down-delay-after-add: no node is removed this long after one was added. Unit: s (a duration). Default: absent = 10m (src/models/self-hosted.json defaults.scaleDownDelayAfterAdd).',
    hpaTargetUtilization:
      'HPA target: requests in flight or waiting per pod, as a share of its slots (0–1]. Unit: fraction of a pod’s slots. Default: absent = 0.7 (src/models/self-hosted.json defaults.hpaTargetUtilization).',
    hpaScaleDownStabilization:
      'HPA scale-down stabilization window: the highest pod recommendation of this long holds. Unit: s (a duration). Default: absent = 5m (src/models/self-hosted.json defaults.hpaScaleDownStabilization).',
    provisionTime:
      'A new node’s launch to serving: provisioning, GPU plugin, image pull, model load. Unit: s (a duration or a distribution). Default: absent = lognormal median 4.5m, p90 10m (src/models/self-hosted.json defaults.provisionTime).',
    podStartTime:
      'A pod placed on a node that is already up (image cached): model load only. Unit: s (a duration or a distribution). Default: absent = lognormal median 90s, p90 150s (src/models/self-hosted.json defaults.podStartTime).',
    // Multi-LoRA (issue 21 item 2; src/models/multi-lora.ts).
    multiLora:
      'In a portfolio (models:), serve every LoRA adapter on one node group of its base model (vLLM multi-LoRA) instead of one deployment per model: true for the sourced defaults, or an object setting them. A single-model scenario runs unchanged (reported as not applied). Unit: none (true | false | an object). Default: absent = false (one deployment per model).',
    maxResidentAdapters:
      'Adapters a node keeps loaded at once (vLLM --max-loras); the least recently used is evicted. Unit: adapters per node. Default: absent = 8 (src/models/self-hosted.json multiLora.maxResidentAdapters).',
    adapterLoadTime:
      'What a request waits when its adapter is not resident on its node (loaded from host memory or S3). Unit: s (a duration). Default: absent = 1s (src/models/self-hosted.json multiLora.adapterLoadTime).',
    throughputFactor:
      'Throughput of a multi-LoRA node group as a share of the base model’s: every service time on the group is divided by it. Unit: fraction (0–1]. Default: absent = 0.85 (src/models/self-hosted.json multiLora.throughputFactor).',
  },
  fixedFleet: {
    replicas: 'Replicas, all ready at t = 0, never scaled. Unit: replicas. Default: 1.',
    slotsPerReplica:
      'Concurrent requests per replica. Unit: requests. Default: absent = the perf profile’s slots, or 1 with serviceTime.',
    hourlyPrice:
      'Price of one replica for an hour. Unit: USD per replica-hour. Default: absent = no cost lines.',
  },
} as const;
