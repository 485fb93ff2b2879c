/**
 * The price book's vocabulary: the AWS Price List service codes prices come from, the items and
 * units entries use, and the id scheme. Options look prices up by these names, `prices refresh`
 * maps the Price List API's rows onto them, and `pricing.discounts` is keyed by the service codes.
 */

/** AWS Price List service codes (GetProducts `ServiceCode`) that hold the prices servesim uses. */
export const SERVICE_CODES = [
  'AmazonBedrock',
  'AmazonBedrockFoundationModels',
  'AmazonBedrockService',
  'AmazonSageMaker',
  'AmazonEC2',
  'AmazonEKS',
] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

export function isServiceCode(s: string): s is ServiceCode {
  return (SERVICE_CODES as readonly string[]).includes(s);
}

/** What an entry prices. Options select on these (plus labels); `prices refresh` produces them. */
export const ITEMS = {
  cmiInference: 'Custom Model Import inference',
  cmiStorage: 'Custom Model Import storage',
  inputTokens: 'On-demand input tokens',
  outputTokens: 'On-demand output tokens',
  batchInputTokens: 'Batch input tokens',
  batchOutputTokens: 'Batch output tokens',
  provisionedThroughput: 'Provisioned Throughput',
  customModelStorage: 'Custom model storage',
  customModelInputTokens: 'Custom model on-demand input tokens',
  customModelOutputTokens: 'Custom model on-demand output tokens',
  realtimeInstance: 'Real-time inference instance',
  realtimeDataIn: 'Real-time data processed in',
  realtimeDataOut: 'Real-time data processed out',
  serverlessCompute: 'Serverless inference compute',
  serverlessDataIn: 'Serverless data processed in',
  serverlessDataOut: 'Serverless data processed out',
  ec2Instance: 'On-demand instance',
  eksControlPlane: 'EKS control plane',
} as const;
export type Item = (typeof ITEMS)[keyof typeof ITEMS];

/** The unit one `price` buys: plural, as on the vendor's price page (style guide). */
export const UNITS = {
  cmuMinutes: 'CMU-minutes',
  cmuMonths: 'CMU-months',
  inputTokens: '1M input tokens',
  outputTokens: '1M output tokens',
  modelUnitHours: 'model-unit-hours',
  modelMonths: 'model-months',
  instanceHours: 'instance-hours',
  gb: 'GB',
  gbSeconds: 'GB-seconds',
  clusterHours: 'cluster-hours',
} as const;

/**
 * Entry ids: `<family>.<meter>.<region>[.<variant>]`, every segment lower-case `[a-z0-9-]`
 * (dots inside AWS names become hyphens: `ml.g5.xlarge` → `ml-g5-xlarge`). Families:
 * `bedrock-cmi`, `bedrock-ondemand`, `bedrock-batch`, `bedrock-pt`, `bedrock-custom`,
 * `sagemaker-realtime`, `sagemaker-serverless`, `ec2`, `eks`. The variant names what the family
 * varies by besides region: a CMU version, an endpoint (`global`, `geo`), a term (`1m`, `6m`,
 * `no-commit`), a support tier. Example: `bedrock-ondemand.llama-3-1-8b-instruct-input.us-east-1`.
 */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*){2,3}$/;

/** `Llama 3.1 8B Instruct` → `llama-3-1-8b-instruct`; `ml.g5.xlarge` → `ml-g5-xlarge`. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function entryId(family: string, meter: string, region: string, variant?: string): string {
  return [family, slug(meter), region, ...(variant ? [slug(variant)] : [])].join('.');
}

/** AWS region codes: `us-east-1`, `eu-central-1`, `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
