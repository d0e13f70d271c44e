/**
 * Where the admin credentials come from. The SDK's own providers do the work
 * (env vars, profiles, SSO, credential_process, role + MFA); we only choose
 * the profile and supply the MFA prompt.
 */
import {fromNodeProviderChain} from '@aws-sdk/credential-providers';
import type {AwsCredentialIdentityProvider} from '@smithy/types';

export interface CredentialChoice {
  profile?: string;
  /** Asked when a role profile has mfa_serial. */
  mfaCode?: (serial: string) => Promise<string>;
  /** Where a role profile's AssumeRole goes (an emulator's STS, when one is used). */
  stsEndpoint?: string;
}

export function adminCredentials(choice: CredentialChoice): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({
    profile: choice.profile,
    mfaCodeProvider: choice.mfaCode,
    clientConfig: choice.stsEndpoint ? {endpoint: choice.stsEndpoint} : undefined,
    // Re-read the files on every run of the chain: we edit them ourselves.
    ignoreCache: true,
  });
}

/** --endpoint-url beats AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL. */
export function endpointsFrom(flag: string | undefined, env: NodeJS.ProcessEnv): {iam?: string; sts?: string; s3?: string} {
  const pick = (svc: string) => flag ?? env[`AWS_ENDPOINT_URL_${svc}`] ?? env.AWS_ENDPOINT_URL ?? undefined;
  return {iam: pick('IAM'), sts: pick('STS'), s3: pick('S3')};
}
