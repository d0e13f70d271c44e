/** Shared inputs for the policy tests: a stage, and the setup document's policy filled in. */
import {readFileSync} from 'node:fs';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {renderTemplate, type PolicyDocument} from '../../src/plan/policy.js';
import type {ZappaTarget} from '../../src/policy/target.js';

export const ACCOUNT = '123456789012';

/** The sandbox's project as the wizard leaves it: demo-app, stage dev. */
export function target(settings: Record<string, unknown> = {}, extra: Partial<ZappaTarget> = {}): ZappaTarget {
  return {
    account: ACCOUNT, partition: 'aws', region: 'us-east-1', projectName: 'demo-app', stage: 'dev',
    roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-demo-app-k3x9q2m7aa',
    settings: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', ...settings},
    ...extra,
  };
}

/** The setup document's deployment policy for ACCOUNT. */
export function documentPolicy(): PolicyDocument {
  return renderTemplate(DOCUMENT_TEMPLATES.deployment, {accountId: ACCOUNT, partition: 'aws'});
}

/** A file of this repository, by its path from the repository root. */
export function repoFile(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/**
 * Where the reference files the issue pointed to live in this repository:
 * the setup document's policies are the bundled templates, the research
 * dataset is data/zappa/.
 */
const REFERENCE_FILES: Record<string, string> = {
  'policies/ZappaLambdaDeploymentPolicy.json': 'templates/deployment-policy.json',
  'policies/ZappaLambdaExecutionPolicy.json': 'templates/execution-policy.json',
  'policies/execution-role-trust.json': 'templates/execution-role-trust.json',
  'zappa-actions.json': 'data/zappa/zappa-actions.json',
  'zappa-actions.md': 'data/zappa/zappa-actions.md',
};

/** A reference file by its old name in the reference folder, read from its copy in this repository. */
export function sharedReference(path: string): string {
  const file = REFERENCE_FILES[path];
  if (!file) throw new Error(`no copy of reference file ${path} in the repository; add it under data/ and to REFERENCE_FILES`);
  return repoFile(file);
}

/** Settings that turn on most of Zappa's optional features at once. */
export const BUSY_SETTINGS = {
  events: [
    {function: 'jobs.hourly', expression: 'rate(1 hour)'},
    {function: 'jobs.on_upload', event_source: {arn: 'arn:aws:s3:::demo-uploads', events: ['s3:ObjectCreated:*']}},
    {function: 'jobs.on_message', event_source: {arn: 'arn:aws:sns:us-east-1:123456789012:demo-topic', filters: {kind: ['a']}}},
    {function: 'jobs.on_queue', event_source: {arn: 'arn:aws:sqs:us-east-1:123456789012:demo-queue', batch_size: 10}},
  ],
  async_source: 'sns',
  async_response_table: 'demo-async',
  vpc_config: {SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1']},
  layers: ['arn:aws:lambda:us-east-1:123456789012:layer:deps:3'],
  tags: {team: 'web'},
  slim_handler: true,
};
