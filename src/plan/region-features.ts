/**
 * What a region lacks that a Zappa stage may rely on, so the wizard can name it
 * before a deploy instead of after.
 *
 * Function URLs: "Function URLs are not supported in the following AWS Regions"
 * in https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html (the
 * same note is on .../lambda/latest/dg/lambda-urls.html), read on 2026-12-01.
 * That note is the only list AWS publishes; it names commercial regions only
 * (it says nothing of China or GovCloud, so neither is listed here) and has
 * grown as regions launched (older copies named 7 of these 11). There,
 * lambda:ListFunctionUrlConfigs does not exist and answers AccessDenied "Unable
 * to determine service/operation name to be authorised", which looks like a
 * missing IAM permission and is not one: Zappa before 0.62.0 called it on every
 * `zappa update`, even without function_url_enabled, and failed after uploading
 * the code (zappa/Zappa#1425, fixed by #1426 in 0.62.0).
 */

export type RegionFeature = 'function-url';

const LACKING: Record<RegionFeature, readonly string[]> = {
  'function-url': [
    'ap-east-2', 'ap-south-2', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-west-1', 'eu-central-2', 'eu-south-2', 'il-central-1', 'me-central-1',
  ],
};

/** True when AWS documents that the region does not offer the feature. */
export function regionLacks(region: string, feature: RegionFeature): boolean {
  return LACKING[feature].includes(region);
}

/** The regions AWS documents as lacking the feature. */
export function regionsLacking(feature: RegionFeature): readonly string[] {
  return LACKING[feature];
}

/**
 * One sentence when the region lacks the feature, else undefined. `wanted` says
 * the stage asks for the feature (function_url_enabled), which cannot work there.
 */
export function regionFeatureProblem(region: string, feature: RegionFeature, wanted = false): string | undefined {
  if (!regionLacks(region, feature)) return undefined;
  if (wanted) {
    return `Lambda function URLs do not exist in ${region}, so function_url_enabled cannot work there; remove it, or deploy the stage to a region that has them (for example us-east-1 or eu-west-1).`;
  }
  return `Lambda function URLs do not exist in ${region}, where Zappa older than 0.62.0 stops \`zappa update\` with AccessDenied "Unable to determine service/operation name to be authorised", which no IAM permission fixes; use Zappa 0.62.0 or newer.`;
}

/**
 * Why a bucket in another region cannot hold the stage's code: Lambda reads the
 * deployment package only from a bucket in the function's own region.
 */
export function bucketRegionProblem(bucketRegion: string, stageRegion: string): string {
  return `the bucket is in ${bucketRegion}, and Lambda reads code only from a bucket in the function's region (${stageRegion})`;
}
