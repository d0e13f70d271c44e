/**
 * A stage's certificate_arn (used by `zappa certify`) must be an ACM
 * certificate in the region API Gateway takes it from.
 *
 * From Zappa's source (zappa/Zappa at bcb4628, 2026-04): the setting is
 * `endpoint_configuration`, a list of API Gateway endpoint types (EDGE,
 * REGIONAL, PRIVATE), default unset, which API Gateway treats as EDGE; in
 * us-gov-west-1 Zappa adds REGIONAL itself. But `zappa certify` creates the
 * custom domain name with `certificateArn` only (no `regionalCertificateArn`,
 * no endpoint type), which is an edge-optimized domain name whatever the API's
 * endpoint type is, and API Gateway accepts a certificate for that only from
 * ACM in us-east-1 (CloudFront's region); domains for function URLs go through
 * CloudFront too. A certificate in the stage's own region, which a REGIONAL
 * domain name would need, is therefore refused by Zappa's certify as well, so
 * every endpoint type gets the same rule here, with its own wording.
 *
 * Only the aws partition is checked: China and GovCloud have no edge-optimized
 * custom domain names to compare against.
 */
import {partitionOf} from './regions.js';

const ACM_ARN = /^arn:(aws[a-z-]*):acm:([a-z0-9-]+):(\d{12}):certificate\/[\w-]+$/;
const EDGE_REGION = 'us-east-1';

/** The endpoint types the stage's API gets, upper-cased (a string is taken as one type). */
function endpointTypes(settings: Record<string, unknown>, region: string | undefined): string[] {
  const raw = settings.endpoint_configuration;
  const listed = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
    .filter((t): t is string => typeof t === 'string').map((t) => t.toUpperCase());
  if (region === 'us-gov-west-1') listed.push('REGIONAL');
  return listed;
}

/**
 * One sentence with the fix when the stage's certificate_arn cannot work,
 * else undefined. `region` is the stage's aws_region (defaults to the one in
 * `settings`).
 */
export function certificateProblem(settings: Record<string, unknown>, region?: string): string | undefined {
  const arn = settings.certificate_arn;
  if (arn === undefined || arn === null || arn === '') return undefined;
  const stageRegion = region ?? (typeof settings.aws_region === 'string' ? settings.aws_region : undefined);
  const match = typeof arn === 'string' ? ACM_ARN.exec(arn) : null;
  if (!match) {
    return `certificate_arn ${JSON.stringify(arn)} is not an ACM certificate ARN (arn:aws:acm:${EDGE_REGION}:<account>:certificate/<id>); request or import the certificate in AWS Certificate Manager in ${EDGE_REGION} and put its ARN there.`;
  }
  const [, partition, certRegion] = match;
  if (partition !== 'aws' || (stageRegion && partitionOf(stageRegion) !== 'aws')) return undefined;
  if (certRegion === EDGE_REGION) return undefined;
  const types = endpointTypes(settings, stageRegion);
  const fix = `request or import the certificate in AWS Certificate Manager in ${EDGE_REGION} and set certificate_arn to that ARN`;
  if (types.length === 0 || types.includes('EDGE')) {
    return `certificate_arn is a certificate in ${certRegion}, but the API is edge-optimized, and API Gateway takes an edge-optimized domain's certificate only from ${EDGE_REGION}; ${fix}.`;
  }
  const kind = types.includes('REGIONAL') ? 'regional' : types.map((t) => t.toLowerCase()).join(', ');
  const own = stageRegion && certRegion === stageRegion ? ` (the stage's own region, which a regional domain name would use)` : '';
  return `certificate_arn is a certificate in ${certRegion}${own}, but even for this ${kind} API \`zappa certify\` creates an edge-optimized custom domain, whose certificate API Gateway takes only from ${EDGE_REGION}; ${fix}.`;
}
