/**
 * `--identity role`: the deploy role trusts the identity that provisions it
 * (deployRoleTrust). export asks STS who that is when credentials are at
 * hand (GetCallerIdentity, the only AWS call export makes), and writes the
 * answer with the account and partition as stand-ins, so the template stays
 * free of literal accounts. Without credentials the role trusts the
 * account's root, and a warning says so.
 */
import type {Options} from '../../args.js';
import {adminCredentials, endpointsFrom} from '../../aws/credentials.js';
import {SdkGateway} from '../../aws/sdk-gateway.js';
import {SENTINEL_IDENTITY} from './tokens.js';

export async function callerArnOf(options: Options, region: string, warnings: string[]): Promise<string | undefined> {
  const endpoints = endpointsFrom(options.endpointUrl, process.env);
  try {
    const gateway = new SdkGateway({credentials: adminCredentials({stsEndpoint: endpoints.sts, profile: options.adminProfile}), region, endpoints});
    const {arn} = await gateway.getCallerIdentity();
    return withStandIns(arn);
  } catch {
    warnings.push('No AWS credentials answered STS GetCallerIdentity, so the deploy role trusts only the account\'s root user: export again signed in as the identity that will assume it (or edit the trust) before deploying.');
    return undefined;
  }
}

/** arn:aws:sts::123456789012:assumed-role/X/s → the same ARN with the stand-in partition and account. */
export function withStandIns(arn: string): string {
  return arn.replace(/^arn:[\w-]+:(iam|sts)::\d{12}:/, `arn:${SENTINEL_IDENTITY.partition}:$1::${SENTINEL_IDENTITY.account}:`);
}
