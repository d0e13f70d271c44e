/**
 * Row 1: who provisions. Reads sts:GetCallerIdentity with the admin
 * credentials; the account ID and partition fill the deployment policy, so the
 * person is never asked for them. Writes nothing.
 */
import {present, type StepDefinition} from '../engine/step.js';

export const identityStep: StepDefinition = {
  id: 'identity',
  dependsOn: [],
  title: (d) => `Admin identity in account ${d.account}`,
  async check(ctx) {
    const who = await ctx.reads.identity();
    return present(`signed in as ${who.arn}`);
  },
  async apply(ctx) {
    const who = await ctx.reads.identity();
    return {status: 'unchanged', detail: `signed in as ${who.arn}`};
  },
};
