/**
 * Why a Zappa call is needed, in the words a person knows: the setting in
 * zappa_settings that makes Zappa (or AWS) ask for it. Used to name each
 * addition to the setup document's policy in the plan. Pure.
 */
import type {ZappaCall} from '../zappa-calls.js';

/** The trigger tokens of the call data that a setting switches on, first match wins. */
const SETTING_TOKENS: [token: string, setting: string, reason: string][] = [
  ['tags', 'tags', 'Zappa tags the function and the bucket, and Lambda asks for lambda:ListTags to read a tagged function'],
  ['vpc_config', 'vpc_config', 'Lambda checks that whoever deploys a VPC function can describe its subnets, security groups and VPC'],
  ['efs_auto', 'efs_config', 'Zappa creates the EFS file system, mount targets and access point the stage asks for'],
  ['slim_handler', 'slim_handler', 'Zappa uploads the project archive to the bucket for the handler to fetch'],
  ['lambda_concurrency', 'lambda_concurrency', 'Zappa sets the function\'s reserved concurrency'],
  ['layers', 'layers', 'Lambda checks that the deployer may use each layer'],
  ['snap_start', 'snap_start', 'Zappa publishes versions for SnapStart'],
  ['num_retained_versions', 'num_retained_versions', 'Zappa deletes old function versions'],
  ['alb', 'alb_enabled', 'Zappa creates the load balancer, target group and listener'],
  ['function_url', 'function_url_enabled', 'Zappa creates the function URL and its public access statements'],
  ['url_config_exists', 'function_url_enabled', 'Zappa removes a function URL when the setting is turned off'],
  ['event_source_sns', 'events', 'Zappa subscribes the function to the SNS topics of events'],
  ['event_source_s3', 'events', 'Zappa sets up the S3 bucket notifications of events'],
  ['event_source_events', 'events', 'Zappa creates the EventBridge rules of events'],
  ['event_source_pull', 'events', 'Zappa creates the queue and stream mappings of events'],
  ['async_sns', 'async_source', 'Zappa creates the SNS topic for async tasks'],
  ['async_ddb', 'async_response_table', 'Zappa creates the DynamoDB table for async task results'],
  ['cognito', 'cognito', 'Zappa connects the Cognito user pool triggers'],
  ['api_key_required', 'api_key_required', 'Zappa creates the API key'],
  ['apigateway_policy', 'apigateway_policy', 'Zappa sets the REST API\'s resource policy'],
  ['apigw_v2_or_ws', 'apigateway_version', 'Zappa creates an HTTP or WebSocket API'],
  ['websocket', 'websocket', 'Zappa creates a WebSocket API'],
  ['cert_body', 'certificate', 'Zappa imports the certificate into ACM'],
  ['letsencrypt', 'domain', 'Zappa gets a Let\'s Encrypt certificate for the domain'],
  ['domain', 'domain', 'Zappa creates the custom domain and its DNS record'],
  ['expression_events', 'keep_warm / events', 'Zappa schedules the warm-up and event rules in EventBridge'],
  ['keep_warm_or_events', 'keep_warm / events', 'Zappa manages the function\'s EventBridge rules (keep_warm is on unless turned off)'],
];

/** The setting behind a call, and why it is needed; calls every stage makes get `(every stage)`. */
export function settingOfCall(call: Pick<ZappaCall, 'when' | 'command'>): {setting: string; reason: string} {
  if (call.command === 'certify') return {setting: 'domain', reason: '`zappa certify` creates the custom domain with its certificate and DNS record'};
  for (const [token, setting, reason] of SETTING_TOKENS) {
    if (call.when.includes(token)) return {setting, reason};
  }
  return {setting: 'every stage', reason: 'Zappa makes these calls for every stage'};
}
