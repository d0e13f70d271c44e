/**
 * The AWS calls the Zappa CLI makes for one stage, with real ARNs. The data
 * (src/policy/data/zappa-calls.json, generated from the research dataset by
 * scripts/gen-zappa-calls.mjs) lists per command every call with the
 * tokens that trigger it; this module decides the tokens from the stage's
 * settings and fills in the function, role, bucket, region and account.
 * Pure.
 */
import {lambdaName} from '../plan/names.js';
import {roleArnOf} from '../plan/deploy-identity.js';
import data from './data/zappa-calls.json' with {type: 'json'};
import {IMPLICIT_CALLS} from './needs/implicit-calls.js';
import {defaultsTrue, eventsOf, isSet, schedulesEvents, stageFeatures, truthy} from './needs/features.js';
import type {ZappaTarget} from './target.js';

export {stageSettings, zappaTargetOf, type ZappaTarget} from './target.js';

export const ZAPPA_COMMANDS = ['deploy', 'update', 'undeploy', 'schedule', 'unschedule', 'status', 'tail', 'rollback', 'invoke', 'manage', 'certify'] as const;
export type ZappaCommand = (typeof ZAPPA_COMMANDS)[number];

/** How sure the research is that AWS checks this permission: seen in Zappa's code, made by boto3, documented by AWS, or plausible. */
export type Certainty = 'code' | 'library' | 'aws-side' | 'uncertain';

/** One permission check Zappa's command causes, with a concrete resource. */
export interface ZappaCall {
  command: ZappaCommand;
  action: string;
  /** The ARN (or `*`); a `*` inside stands for names only known at deploy time (rule names, stack ids). */
  resource: string;
  /** AWS authorizes the action on `*` only. */
  wildcardOnly: boolean;
  certainty: Certainty;
  /** Set when Zappa carries on if AWS refuses: what happens then. */
  tolerated?: string;
  /** Needs no permission at all (sts:GetCallerIdentity). */
  free: boolean;
  /** The triggers (condition tokens) under which Zappa makes the call; empty = always. */
  when: string[];
}

interface RawCall { action: string; resource: string; if: string[]; certainty: string; wildcardOnly?: boolean; free?: boolean; tolerated?: string }

/** Zappa's calls per command, plus the checks AWS makes of the deployer that no call names. */
const COMMANDS = withImplicitCalls(data.commands as unknown as Record<ZappaCommand, RawCall[]>);

function withImplicitCalls(commands: Record<ZappaCommand, RawCall[]>): Record<ZappaCommand, RawCall[]> {
  const out = {...commands};
  for (const call of IMPLICIT_CALLS) {
    for (const command of call.commands as ZappaCommand[]) {
      out[command] = [...(out[command] ?? []), {action: call.action, resource: call.resource, if: call.if, certainty: call.certainty}];
    }
  }
  return out;
}

/** Where the call data comes from (Zappa commit and dataset). */
export const ZAPPA_CALLS_SOURCE: string = data.source;

/** The service of each event source ARN (`s3`, `sns`, `events`, `sqs`…). */
function eventSources(settings: Record<string, unknown>): {service: string; arn: string; filters: boolean}[] {
  return eventsOf(settings).flatMap((e) => {
    const arn = e.event_source?.arn;
    if (typeof arn !== 'string') return [];
    return [{service: arn.split(':')[2] ?? '', arn, filters: isSet(e.event_source?.filters)}];
  });
}

/**
 * Which triggers hold for these settings. Settings decide the settings
 * tokens; tokens about AWS's state (the bucket is missing, rules exist, the
 * stack exists…) and about command-line flags a person may pass
 * (--remove-logs) count as possible, so every call Zappa may make is covered.
 */
export function zappaConditions(settings: Record<string, unknown>): Record<string, boolean> {
  const sources = eventSources(settings);
  const has = (service: string) => sources.some((s) => s.service === service);
  const features = stageFeatures(settings);
  const events = eventsOf(settings);
  const websocket = features.websocket;
  const v2 = settings.apigateway_version === 'v2';
  const certificate = isSet(settings.certificate) || isSet(settings.certificate_arn);
  const letsencrypt = isSet(settings.domain) && !certificate;
  const route53 = defaultsTrue(settings.route53_enabled);
  return {
    // What the settings say.
    '!role_arn': !features.roleArn,
    keep_warm_or_events: features.keepWarm || events.length > 0,
    expression_events: schedulesEvents(features),
    apigw: features.apiGateway,
    apigw_v1: !v2,
    apigw_v2_or_ws: v2 || websocket,
    websocket,
    tags: isSet(settings.tags),
    lambda_concurrency: isSet(settings.lambda_concurrency),
    '!lambda_concurrency': !isSet(settings.lambda_concurrency),
    alb: truthy(settings.alb_enabled),
    function_url: truthy(settings.function_url_enabled),
    '!function_url': !truthy(settings.function_url_enabled),
    vpc_config: features.vpc,
    layers: isSet(settings.layers),
    slim_handler: truthy(settings.slim_handler),
    snap_start: isSet(settings.snap_start) && settings.snap_start !== 'None',
    num_retained_versions: isSet(settings.num_retained_versions),
    api_key_required: truthy(settings.api_key_required),
    api_key: isSet(settings.api_key),
    domain: isSet(settings.domain),
    cognito: isSet(settings.cognito),
    cors: truthy(settings.cors),
    binary_support: defaultsTrue(settings.binary_support),
    touch: defaultsTrue(settings.touch),
    apigateway_policy: isSet(settings.apigateway_policy),
    efs_auto: Array.isArray(settings.efs_config) ? settings.efs_config.some((e) => !isSet((e as {Arn?: unknown})?.Arn)) : isSet(settings.efs_config) && !isSet((settings.efs_config as {Arn?: unknown}).Arn),
    async_sns: settings.async_source === 'sns',
    async_ddb: isSet(settings.async_response_table),
    event_source_s3: has('s3'),
    event_source_sns: has('sns'),
    event_source_events: has('events'),
    event_source_pull: has('sqs') || has('dynamodb') || has('kinesis'),
    sns_filters: sources.some((s) => s.service === 'sns' && s.filters),
    letsencrypt,
    '!letsencrypt': certificate,
    le_key_s3: typeof settings.lets_encrypt_key === 'string' && settings.lets_encrypt_key.startsWith('s3://'),
    cert_body: isSet(settings.certificate) && !isSet(settings.certificate_arn),
    route53,
    route53_or_letsencrypt: route53 || letsencrypt,
    // How Zappa is run: the default source (no --zip/--docker-image-uri), code uploaded to S3; --remove-logs may be passed.
    default_source: true,
    '!no_upload': true,
    s3_code: true,
    remove_logs: true,
    // What AWS may already hold: any of these can be the case on some run.
    bucket_missing: true,
    multipart_failure: true,
    rules_exist: true,
    stack_exists: true,
    stack_update: true,
    stack_lookup_failed: true,
    domain_exists: true,
    '!domain_exists': true,
    no_tagged_stack: true,
    // A function URL config exists only after function_url_enabled was on; turning it
    // off later makes `zappa update` delete it (lambda:DeleteFunctionUrlConfig), which
    // the setup document's policy never granted. Counted only while the setting is on.
    url_config_exists: truthy(settings.function_url_enabled),
  };
}

/** The commands worth proving for these settings: `certify` only with a domain. */
export function relevantCommands(settings: Record<string, unknown>): ZappaCommand[] {
  return ZAPPA_COMMANDS.filter((c) => c !== 'certify' || isSet(settings.domain));
}

const CERTAINTY_ORDER: Certainty[] = ['code', 'library', 'aws-side', 'uncertain'];

/** Zappa's calls for one command and these settings, one per (action, resource). */
export function zappaCalls(target: ZappaTarget, command: ZappaCommand): ZappaCall[] {
  const conditions = zappaConditions(target.settings);
  const byKey = new Map<string, ZappaCall>();
  for (const raw of COMMANDS[command] ?? []) {
    if (!raw.if.every((token) => conditions[token] === true)) continue;
    for (const resource of resolveResource(raw.resource, target)) {
      const key = `${raw.action}|${resource}`;
      const seen = byKey.get(key);
      const certainty = raw.certainty.split('/')[0] as Certainty;
      if (!seen) {
        byKey.set(key, {
          command, action: raw.action, resource, wildcardOnly: raw.wildcardOnly === true, certainty,
          ...(raw.tolerated ? {tolerated: raw.tolerated} : {}), free: raw.free === true, when: [...raw.if],
        });
        continue;
      }
      // The same permission for another reason: it must succeed in every case, so
      // it is tolerated only if every reason tolerates it.
      if (!raw.tolerated) delete seen.tolerated;
      seen.free &&= raw.free === true;
      if (CERTAINTY_ORDER.indexOf(certainty) < CERTAINTY_ORDER.indexOf(seen.certainty)) seen.certainty = certainty;
      for (const token of raw.if) if (!seen.when.includes(token)) seen.when.push(token);
    }
  }
  return [...byKey.values()];
}

/** Every call of every relevant command. */
export function allZappaCalls(target: ZappaTarget): ZappaCall[] {
  return relevantCommands(target.settings).flatMap((c) => zappaCalls(target, c));
}

/** The function's ARN: `arn:<partition>:lambda:<region>:<account>:function:<project>-<stage>`. */
export function functionArn(t: ZappaTarget): string {
  return `arn:${t.partition}:lambda:${t.region}:${t.account}:function:${lambdaName(t.projectName, t.stage)}`;
}

/** The function's log group ARN (`/aws/lambda/<function>`). */
export function logGroupArn(t: ZappaTarget): string {
  return `arn:${t.partition}:logs:${t.region}:${t.account}:log-group:/aws/lambda/${lambdaName(t.projectName, t.stage)}`;
}

/** The execution role's ARN. */
export function roleArn(t: ZappaTarget): string {
  return t.roleArn ?? roleArnOf(t.partition, t.account, t.roleName);
}

/**
 * Fills a resource template. Event sources and layers can be several, so
 * one template may give several ARNs; a name only known at deploy time
 * (hosted zone, a missing setting) becomes `*`.
 */
function resolveResource(template: string, t: ZappaTarget): string[] {
  const s = t.settings;
  // With role_arn Zappa uses that role as it is, wherever it lives.
  const roleTemplate = 'arn:aws:iam::${Account}:role/${RoleName}';
  let text = (t.roleArn && template === roleTemplate ? t.roleArn : template)
    .replace(/^arn:aws:/, `arn:${t.partition}:`)
    .replaceAll('${Project}-${Stage}', lambdaName(t.projectName, t.stage))
    .replaceAll('${Region}', t.region)
    .replaceAll('${Account}', t.account)
    .replaceAll('${Bucket}', t.bucket)
    .replaceAll('${RoleName}', t.roleName);
  if (typeof s.async_response_table === 'string') text = text.replaceAll('${AsyncResponseTable}', s.async_response_table);
  const pool = (s.cognito as {user_pool?: unknown} | undefined)?.user_pool;
  if (typeof pool === 'string') text = text.replaceAll('${UserPoolId}', pool);
  const leKey = typeof s.lets_encrypt_key === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(s.lets_encrypt_key) : null;
  if (leKey) text = text.replaceAll('${LetsEncryptKeyBucket}', leKey[1]!).replaceAll('${Key}', leKey[2]!);

  let results = [text];
  if (text.includes('${LayerName}')) {
    const layers = Array.isArray(s.layers) ? s.layers.filter((l): l is string => typeof l === 'string' && l.startsWith('arn:')) : [];
    if (layers.length) results = layers;
  }
  const sources = eventSources(s);
  results = expand(results, '${EventBucket}', sources.filter((e) => e.service === 's3').map((e) => e.arn.split(':').pop()!));
  results = expand(results, '${TopicName}', sources.filter((e) => e.service === 'sns').map((e) => e.arn.split(':').pop()!));
  return [...new Set(results.map((r) => r.replace(/\$\{[^}]+\}/g, '*')))];
}

function expand(resources: string[], placeholder: string, values: string[]): string[] {
  if (!values.length) return resources;
  return resources.flatMap((r) => (r.includes(placeholder) ? values.map((v) => r.replaceAll(placeholder, v)) : [r]));
}

