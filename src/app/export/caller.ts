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
import type {CallCounts} from '../../aws/port.js';
import {SENTINEL_IDENTITY} from './tokens.js';

/** `calls` is counted into the --json report's apiCalls. */
export async function callerArnOf(options: Options, region: string, warnings: string[], calls: CallCounts): Promise<string | undefined> {
  const endpoints = endpointsFrom(options.endpointUrl, process.env);
  const gateway = new SdkGateway({credentials: adminCredentials({stsEndpoint: endpoints.sts, profile: options.adminProfile}), region, endpoints});
  try {
    const {arn} = await gateway.getCallerIdentity();
    return withStandIns(arn);
  } catch {
    warnings.push('No AWS credentials answered STS GetCallerIdentity, so the deploy role trusts only the account\'s root user: export again signed in as the identity that will assume it (or edit the trust) before deploying.');
    return undefined;
  } finally {
    calls.read += gateway.counts.read;
    calls.write += gateway.counts.write;
    gateway.destroy();
  }
}

/** arn:aws:sts::123456789012:assumed-role/X/s → the same ARN with the stand-in partition and account. */
export function withStandIns(arn: string): string {
  return arn.replace(/^arn:[\w-]+:(iam|sts)::\d{12}:/, `arn:${SENTINEL_IDENTITY.partition}:$1::${SENTINEL_IDENTITY.account}:`);
}
