/**
 * The CI role's trust, judged offline: moto lets any token assume any role
 * (it checks neither signatures nor conditions), so whether only the pinned
 * repository's branch or environment gets in is proven here, with the
 * project's condition evaluator.
 */
import {describe, expect, it} from 'vitest';
import {GITHUB_AUDIENCE, GITHUB_OIDC_HOST, githubRoleTrust, oidcProviderArn} from '../../src/plan/deploy-identity.js';
import {webIdentityDecision} from '../../src/policy/web-identity-trust.js';
import type {Statement} from '../../src/plan/policy.js';

const ACCOUNT = '123456789012';
const PROVIDER = oidcProviderArn('aws', ACCOUNT);
const branchTrust = githubRoleTrust('aws', ACCOUNT, {repo: 'acme/shop', branch: 'main'});
const envTrust = githubRoleTrust('aws', ACCOUNT, {repo: 'acme/shop', environment: 'production'});

const ask = (trust: typeof branchTrust, claims: Record<string, string>, providerArn = PROVIDER) =>
  webIdentityDecision(trust, {providerArn, host: GITHUB_OIDC_HOST, claims});

describe('the CI role trust (branch main of acme/shop)', () => {
  it('lets in a token of that branch for STS', () => {
    expect(ask(branchTrust, {sub: 'repo:acme/shop:ref:refs/heads/main', aud: GITHUB_AUDIENCE})).toBe('allowed');
  });

  it.each([
    ['another repository', 'repo:acme/other:ref:refs/heads/main'],
    ['another owner with the same name', 'repo:evil/shop:ref:refs/heads/main'],
    ['another branch', 'repo:acme/shop:ref:refs/heads/feature'],
    ['a branch whose name starts like it', 'repo:acme/shop:ref:refs/heads/main-2'],
    ['a pull request', 'repo:acme/shop:pull_request'],
    ['a tag', 'repo:acme/shop:ref:refs/tags/main'],
    ['an environment job', 'repo:acme/shop:environment:production'],
  ])('keeps out %s', (_, sub) => {
    expect(ask(branchTrust, {sub, aud: GITHUB_AUDIENCE})).toBe('implicit-deny');
  });

  it('keeps out a token for another audience, or one without any', () => {
    expect(ask(branchTrust, {sub: 'repo:acme/shop:ref:refs/heads/main', aud: 'https://github.com/acme'})).toBe('implicit-deny');
    expect(ask(branchTrust, {sub: 'repo:acme/shop:ref:refs/heads/main'})).toBe('implicit-deny');
  });

  it('keeps out the same claims from another OIDC provider', () => {
    expect(ask(branchTrust, {sub: 'repo:acme/shop:ref:refs/heads/main', aud: GITHUB_AUDIENCE}, oidcProviderArn('aws', ACCOUNT, 'gitlab.com'))).toBe('implicit-deny');
  });
});

describe('the CI role trust (environment production of acme/shop)', () => {
  it('lets in jobs of that environment only', () => {
    expect(ask(envTrust, {sub: 'repo:acme/shop:environment:production', aud: GITHUB_AUDIENCE})).toBe('allowed');
    expect(ask(envTrust, {sub: 'repo:acme/shop:environment:staging', aud: GITHUB_AUDIENCE})).toBe('implicit-deny');
    expect(ask(envTrust, {sub: 'repo:acme/shop:ref:refs/heads/main', aud: GITHUB_AUDIENCE})).toBe('implicit-deny');
  });
});

describe('webIdentityDecision', () => {
  it('finds the looser trust the wizard replaces too loose', () => {
    const loose = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Federated: PROVIDER}, Action: 'sts:AssumeRoleWithWebIdentity', Condition: {StringLike: {[`${GITHUB_OIDC_HOST}:sub`]: 'repo:acme/*'}}}]};
    expect(ask(loose, {sub: 'repo:acme/other:pull_request', aud: 'anything'})).toBe('allowed');
  });

  it('lets a Deny win', () => {
    const denied = {Statement: [...(branchTrust.Statement as Statement[]), {Effect: 'Deny', Principal: '*', Action: 'sts:*'}]};
    expect(ask(denied, {sub: 'repo:acme/shop:ref:refs/heads/main', aud: GITHUB_AUDIENCE})).toBe('explicit-deny');
  });
});
