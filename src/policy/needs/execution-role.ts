/**
 * What the execution role needs for a stage's settings, beyond anything
 * Zappa calls itself. With `manage_roles: false` Zappa adds nothing to the
 * role (its EFS, WebSocket and extra_permissions additions run only when it
 * manages roles), so the wizard must supply what AWS checks or the running
 * function uses. Facts and sources: data/README.md ("What AWS checks").
 * Pure.
 */
import {lambdaName} from '../../plan/names.js';
import type {Statement} from '../../plan/policy.js';
import {functionArn, logGroupArn, type ZappaTarget} from '../zappa-calls.js';
import {schedulesEvents, stageFeatures, type StageFeatures} from './features.js';

/** A service that must be able to assume the role, and why, in plain words. */
export interface TrustNeed { service: string; reason: string }

/** Permissions the role must hold: one statement, the setting behind it, and why. */
export interface PermissionNeed {
  /** Stable id, also the statement's Sid. */
  id: string;
  /** The setting that asks for it, as written in zappa_settings (`vpc_config`, `keep_warm`…). */
  setting: string;
  reason: string;
  statement: Statement;
}

/** Who must be able to assume the role. Lambda always; the others only when the settings hand the role to them. */
export function trustNeeds(f: StageFeatures): TrustNeed[] {
  const needs: TrustNeed[] = [{service: 'lambda.amazonaws.com', reason: 'Lambda runs the function as this role'}];
  if (f.restApi) needs.push({service: 'apigateway.amazonaws.com', reason: 'the API Gateway REST API (apigateway_enabled, on by default) calls the function with this role as its credentials'});
  if (schedulesEvents(f)) {
    const why = f.keepWarm ? 'keep_warm is on (Zappa\'s default)' : 'events has scheduled expressions';
    needs.push({service: 'events.amazonaws.com', reason: `${why}, and Zappa hands the role to EventBridge (PutRule with RoleArn), which refuses a role it cannot assume`});
  }
  return needs;
}

/**
 * Statements whose resources (or whole text) are copied from the person's
 * settings: a lint failure in one of them is a value to fix in the settings
 * file, not a bug of the wizard. Kept beside the ids it names.
 */
export const SETTINGS_VALUE_SIDS = ['ExtraPermissions', 'SqsEventSource', 'KinesisEventSource', 'DynamoDbStreamEventSource', 'RemoteEnv', 'AsyncResponses'] as const;

/** Whether a statement id names one of SETTINGS_VALUE_SIDS (extra_permissions are numbered). */
export const copiesSettings = (sid: string): boolean => SETTINGS_VALUE_SIDS.some((s) => sid === s || (s === 'ExtraPermissions' && /^ExtraPermissions\d+$/.test(sid)));

const allow = (sid: string, actions: string[], resources: string[]): Statement => ({Sid: sid, Effect: 'Allow', Action: actions, Resource: resources});

/** What every Zappa function needs: its own log group, and invoking itself for async tasks. */
export function basePermissionNeeds(t: ZappaTarget): PermissionNeed[] {
  const group = logGroupArn(t);
  const fn = functionArn(t);
  return [
    {id: 'FunctionLogs', setting: '(always)', reason: 'the function writes its logs to its own log group', statement: allow('FunctionLogs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [group, `${group}:*`])},
    {id: 'InvokeItself', setting: '(always)', reason: 'Zappa\'s async tasks (@task) invoke the function itself', statement: allow('InvokeItself', ['lambda:InvokeFunction'], [fn, `${fn}:*`])},
  ];
}

/** Everything the execution role needs for the stage: the base, then what the settings add. */
export function executionRoleNeeds(t: ZappaTarget, f: StageFeatures = stageFeatures(t.settings)): PermissionNeed[] {
  return [...basePermissionNeeds(t), ...settingPermissionNeeds(t, f)];
}

/** What the settings add on top of the base. */
export function settingPermissionNeeds(t: ZappaTarget, f: StageFeatures = stageFeatures(t.settings)): PermissionNeed[] {
  const arn = (service: string, rest: string) => `arn:${t.partition}:${service}:${t.region}:${t.account}:${rest}`;
  const s3 = (path: string) => `arn:${t.partition}:s3:::${path}`;
  const needs: PermissionNeed[] = [];
  const add = (id: string, setting: string, reason: string, actions: string[], resources: string[]) =>
    needs.push({id, setting, reason, statement: allow(id, actions, resources)});

  if (f.vpc) {
    add('VpcNetworkInterfaces', 'vpc_config', 'Lambda creates network interfaces in the VPC as this role, and refuses to create the function without these',
      ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:UnassignPrivateIpAddresses'], ['*']);
  }
  if (f.xray) {
    add('XRayTracing', 'xray_tracing', 'the function sends traces to X-Ray as this role',
      ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'], ['*']);
  }
  if (f.efs) {
    add('EfsMount', 'efs_config', 'Lambda mounts the EFS file system as this role',
      ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:DescribeMountTargets'], [arn('elasticfilesystem', 'file-system/*')]);
  }
  if (f.websocket) {
    add('WebSocketConnections', 'websocket', 'the function answers WebSocket clients through API Gateway\'s connection API',
      ['execute-api:ManageConnections'], [arn('execute-api', '*')]);
  }
  if (f.slimHandler) {
    add('SlimHandlerCode', 'slim_handler', 'the handler downloads the project archive from the bucket at every cold start',
      ['s3:GetObject'], [s3(`${t.bucket}/*`)]);
  }
  if (f.remoteEnv) {
    add('RemoteEnv', 'remote_env', 'the handler reads the environment file from S3 at every cold start',
      ['s3:GetObject'], [s3(`${f.remoteEnv.bucket}/${f.remoteEnv.key}`)]);
  }
  pullSources(f, add);
  if (f.asyncSns) {
    add('AsyncTopic', 'async_source', 'async tasks are published to the stage\'s SNS topic', ['sns:Publish'], [arn('sns', `${lambdaName(t.projectName, t.stage)}-zappa-async`)]);
  }
  if (f.asyncTable) {
    add('AsyncResponses', 'async_response_table', 'async tasks keep their results in this DynamoDB table',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [arn('dynamodb', `table/${f.asyncTable}`)]);
  }
  f.extraPermissions.forEach((statement, i) => {
    const id = `ExtraPermissions${i + 1}`;
    const {Sid: _sid, ...rest} = statement;
    needs.push({id, setting: 'extra_permissions', reason: 'extra_permissions: Zappa adds these only when it manages the role, which the wizard turns off', statement: {Sid: id, Effect: 'Allow', ...rest}});
  });
  return needs;
}

type Add = (id: string, setting: string, reason: string, actions: string[], resources: string[]) => void;

/** Lambda polls queues and streams with the execution role; push sources (S3, SNS, EventBridge) need none. */
function pullSources(f: StageFeatures, add: Add): void {
  const of = (service: string) => f.eventSources.filter((e) => e.service === service).map((e) => e.arn);
  const sqs = of('sqs');
  if (sqs.length) add('SqsEventSource', 'events', 'Lambda reads the SQS queues of events as this role', ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], sqs);
  const kinesis = of('kinesis');
  if (kinesis.length) {
    add('KinesisEventSource', 'events', 'Lambda reads the Kinesis streams of events as this role',
      ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:SubscribeToShard'], kinesis);
  }
  const streams = of('dynamodb');
  if (streams.length) {
    add('DynamoDbStreamEventSource', 'events', 'Lambda reads the DynamoDB streams of events as this role',
      ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], streams);
    add('DynamoDbListStreams', 'events', 'Lambda lists the table\'s streams as this role', ['dynamodb:ListStreams'], ['*']);
  }
}
