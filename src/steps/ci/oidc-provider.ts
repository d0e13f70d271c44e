/**
 * The account's IAM OIDC identity provider for GitHub Actions
 * (token.actions.githubusercontent.com). IAM holds at most one per issuer
 * URL and account, and other roles may trust it already: an existing one is
 * reused, never replaced, and only gets the STS audience added when it lacks
 * it. Reads iam:ListOpenIDConnectProviders and iam:GetOpenIDConnectProvider.
 * Writes iam:CreateOpenIDConnectProvider (tagged ManagedBy) or
 * iam:AddClientIDToOpenIDConnectProvider, which IAM treats as a no-op for an
 * audience already there, so a retry is always safe. After a failure the
 * provider is either absent or as it was; a re-run finishes it.
 */
import {isKind} from '../../aws/aws-error.js';
import {managedTags} from '../../aws/port.js';
import {GITHUB_AUDIENCE, GITHUB_OIDC_HOST, GITHUB_THUMBPRINT} from '../../plan/deploy-identity.js';
import type {Check} from '../../plan/types.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../../engine/step.js';
import {ciIdentityOf} from './ci-identity.js';

async function providerCheck(ctx: StepContext): Promise<Check> {
  const {providerArn} = ciIdentityOf(ctx.desired);
  const arns = await ctx.aws.listOidcProviders();
  if (!arns.includes(providerArn)) {
    return {...missing(`will create the provider for ${GITHUB_OIDC_HOST} with the audience ${GITHUB_AUDIENCE}`), reason: 'oidc-provider-missing'};
  }
  const provider = await ctx.aws.getOidcProvider(providerArn);
  if (!provider) return {...missing(`${providerArn} vanished while being read; will create it`), reason: 'oidc-provider-missing'};
  if (!provider.clientIds.includes(GITHUB_AUDIENCE)) {
    return {...drifted(`${providerArn} lacks the audience ${GITHUB_AUDIENCE}, so STS refuses GitHub's tokens; will add it (its other audiences stay)`), reason: 'oidc-audience-missing'};
  }
  return present(`${providerArn} (one per account; reused)`);
}

export const oidcProviderStep: StepDefinition = {
  id: 'oidc-provider',
  dependsOn: ['identity'],
  title: () => `GitHub Actions OIDC provider ${GITHUB_OIDC_HOST}`,
  check: providerCheck,
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    const {providerArn} = ciIdentityOf(ctx.desired);
    if (check.state === 'missing') {
      try {
        const created = await ctx.aws.createOidcProvider(GITHUB_OIDC_HOST, [GITHUB_AUDIENCE], [GITHUB_THUMBPRINT], managedTags());
        return {status: 'created', detail: created.arn || providerArn};
      } catch (err) {
        // Made meanwhile (another run, a colleague): reuse it like any existing one.
        if (!isKind(err, 'AlreadyExists')) throw err;
      }
      const again = await providerCheck(ctx);
      if (again.state === 'present') return {status: 'unchanged', detail: again.detail};
    }
    await ctx.aws.addOidcClientId(providerArn, GITHUB_AUDIENCE);
    return {status: 'updated', detail: `${providerArn}: added the audience ${GITHUB_AUDIENCE}`};
  },
};
