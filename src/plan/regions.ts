/**
 * Regions the setup document recommends first, with the area each serves,
 * followed by every other commercial region Lambda runs in.
 */
export const RECOMMENDED_REGIONS = [
  {region: 'us-east-1', area: 'North America'},
  {region: 'eu-west-1', area: 'Europe'},
  {region: 'ap-northeast-1', area: 'Asia'},
] as const;

export const OTHER_REGIONS = [
  'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'mx-central-1',
  'sa-east-1', 'eu-central-1', 'eu-central-2', 'eu-west-2', 'eu-west-3', 'eu-north-1',
  'eu-south-1', 'eu-south-2', 'il-central-1', 'me-south-1', 'me-central-1', 'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-7', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1',
] as const;

const REGION_SHAPE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** Accepts any region of the known shape, so newly launched regions still work. */
export function validateRegion(region: string): true | string {
  if (REGION_SHAPE.test(region)) return true;
  return `"${region}" is not an AWS region name (for example us-east-1, eu-west-1, ap-northeast-1).`;
}

/** IAM, STS and ARNs live in a partition that follows from the region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
