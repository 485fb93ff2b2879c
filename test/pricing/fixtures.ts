import { page, product, type GetProductsBody, type Reply } from './price-list-server.js';

/*
 * What a loopback Price List API returns for us-east-1, per service: products shaped like AWS's
 * (attributes, usage types, units as the API spells them), with prices chosen so the diff
 * against the shipped book has every kind of change in it.
 */

const USE1 = { regionCode: 'us-east-1', location: 'US East (N. Virginia)' };

export const BEDROCK_PAGE_1 = [
  product(
    'CMI-LLAMA',
    'AmazonBedrock',
    {
      ...USE1,
      usagetype: 'USE1-CustomModelImport-Llama-CMU-min',
      architectureName: 'Llama',
      architecture: 'LlamaForCausalLM',
    },
    [
      {
        unit: 'Custom Model Unit per min',
        usd: '0.0571800000',
        description: '$0.05718 per Custom Model Unit per min for inference, Llama architecture',
      },
    ],
  ),
  product(
    'CMI-STORAGE',
    'AmazonBedrock',
    {
      ...USE1,
      usagetype: 'USE1-CustomModelImport-ModelStorage',
      architectureName: 'Llama',
    },
    [
      {
        unit: 'Custom Model Unit per month',
        usd: '1.9500000000',
        description: 'Custom Model Unit/month storage',
      },
    ],
  ),
  product(
    'LLAMA8-IN',
    'AmazonBedrock',
    {
      ...USE1,
      model: 'Llama 3.1 8B Instruct',
      usagetype: 'USE1-MetaLlama3-1-8B-input-tokens',
      inferenceType: 'Input tokens',
    },
    [{ unit: '1K tokens', usd: '0.0002200000' }],
  ),
];

export const BEDROCK_PAGE_2 = [
  product(
    'LLAMA8-OUT',
    'AmazonBedrock',
    {
      ...USE1,
      model: 'Llama 3.1 8B Instruct',
      usagetype: 'USE1-MetaLlama3-1-8B-output-tokens',
      inferenceType: 'Output tokens',
    },
    [{ unit: '1K tokens', usd: '0.0002400000' }],
  ), // changed: 0.22 → 0.24 per 1M
  product(
    'NOVA-IMG',
    'AmazonBedrock',
    {
      ...USE1,
      model: 'Nova Canvas',
      usagetype: 'USE1-NovaCanvas-images',
    },
    [{ unit: 'Images', usd: '0.0400000000' }],
  ), // a unit servesim does not know
  product(
    'LLAMA8-CACHE',
    'AmazonBedrock',
    {
      ...USE1,
      model: 'Llama 3.1 8B Instruct',
      usagetype: 'USE1-MetaLlama3-1-8B-cache-read-input-tokens',
    },
    [{ unit: '1K tokens', usd: '0.0000220000' }],
  ),
];

export const CLAUDE = [
  product(
    'SONNET-IN',
    'AmazonBedrockFoundationModels',
    {
      ...USE1,
      servicename: 'Claude Sonnet 4.5 (Amazon Bedrock Edition)',
      usagetype: 'USE1-MP:USE1_InputTokenCount-Units',
    },
    [{ unit: '1M tokens', usd: '3.3000000000' }],
  ),
  product(
    'SONNET-IN-GLOBAL',
    'AmazonBedrockFoundationModels',
    {
      ...USE1,
      servicename: 'Claude Sonnet 4.5 (Amazon Bedrock Edition)',
      usagetype: 'USE1-MP:USE1_InputTokenCount_Global-Units',
    },
    [{ unit: '1M tokens', usd: '3.0000000000' }],
  ),
];

export const SAGEMAKER_HOSTING = [
  product(
    'SM-G5-2XL',
    'AmazonSageMaker',
    {
      ...USE1,
      component: 'Hosting',
      instanceName: 'ml.g5.2xlarge',
      usagetype: 'USE1-Host:ml.g5.2xlarge',
    },
    [{ unit: 'Hrs', usd: '1.5150000000' }],
  ),
  product(
    'SM-G6-XL',
    'AmazonSageMaker',
    {
      ...USE1,
      component: 'Hosting',
      instanceName: 'ml.g6.xlarge',
      usagetype: 'USE1-Host:ml.g6.xlarge',
    },
    [{ unit: 'Hrs', usd: '0.9765000000' }],
  ), // changed: 1.1267 → 0.9765
];

/** Serverless compute per second at 4 GB, and data processed with three usage tiers. */
export const SAGEMAKER_SERVERLESS = [
  product(
    'SM-SLS-4GB',
    'AmazonSageMaker',
    {
      ...USE1,
      usagetype: 'USE1-ServerlessInf:Mem-4GB',
    },
    [{ unit: 'Second', usd: '0.0000800000' }],
  ),
  product(
    'SM-SLS-DATA-IN',
    'AmazonSageMaker',
    {
      ...USE1,
      usagetype: 'USE1-ServerlessInf:Data-Bytes-In',
    },
    [
      { unit: 'GB', usd: '0.0160000000', beginRange: '0', endRange: '10240' },
      { unit: 'GB', usd: '0.0120000000', beginRange: '10240', endRange: '51200' },
      { unit: 'GB', usd: '0.0080000000', beginRange: '51200', endRange: 'Inf' },
    ],
  ),
];

export const EC2 = [
  product(
    'EC2-G5-XL',
    'AmazonEC2',
    {
      ...USE1,
      instanceType: 'g5.xlarge',
      operatingSystem: 'Linux',
      tenancy: 'Shared',
      preInstalledSw: 'NA',
      capacitystatus: 'Used',
      usagetype: 'BoxUsage:g5.xlarge',
    },
    [{ unit: 'Hrs', usd: '1.0060000000' }],
  ),
  product(
    'EC2-G5-XL-WIN',
    'AmazonEC2',
    {
      ...USE1,
      instanceType: 'g5.xlarge',
      operatingSystem: 'Windows',
      tenancy: 'Shared',
      usagetype: 'BoxUsage:g5.xlarge',
    },
    [{ unit: 'Hrs', usd: '1.1900000000' }],
  ),
];

export const EKS = [
  product('EKS-STD', 'AmazonEKS', { ...USE1, usagetype: 'USE1-AmazonEKS-Hours:perCluster' }, [
    { unit: 'Hours', usd: '0.1000000000' },
  ]),
  product('EKS-EXT', 'AmazonEKS', { ...USE1, usagetype: 'USE1-AmazonEKS-Hours:extendedSupport' }, [
    { unit: 'Hours', usd: '0.6000000000' },
  ]),
  product('EKS-FARGATE', 'AmazonEKS', { ...USE1, usagetype: 'USE1-Fargate-vCPU-Hours:perCPU' }, [
    { unit: 'vCPU-Hours', usd: '0.0404800000' },
  ]),
];

/** The whole fake API: Bedrock in two pages, every other service in one. */
export function priceListReply(body: GetProductsBody): Reply {
  const serverless = body.Filters?.some((f) => f.Field === 'usagetype' && f.Value === 'Serverless');
  switch (body.ServiceCode) {
    case 'AmazonBedrock':
      return body.NextToken === 'page-2' ? page(BEDROCK_PAGE_2) : page(BEDROCK_PAGE_1, 'page-2');
    case 'AmazonBedrockFoundationModels':
      return page(CLAUDE);
    case 'AmazonSageMaker':
      return page(serverless ? SAGEMAKER_SERVERLESS : SAGEMAKER_HOSTING);
    case 'AmazonEC2':
      return page(EC2);
    case 'AmazonEKS':
      return page(EKS);
    default:
      return page([]);
  }
}
