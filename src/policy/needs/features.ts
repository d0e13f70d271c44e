/**
 * What a stage's effective settings switch on, read with Zappa's own
 * defaults (cli.py `stage_config.get(key, default)`): `keep_warm` and
 * `apigateway_enabled` are on unless a stage turns them off. Everything that
 * decides what the execution role or the deployer needs starts here. Pure.
 */
import type {Statement} from '../../plan/policy.js';

/** An event source a stage subscribes the function to. */
export interface EventSource {
  /** The service named in the ARN: `sqs`, `kinesis`, `dynamodb`, `s3`, `sns`, `events`… */
  service: string;
  arn: string;
}

/** The switches that matter for IAM, after `extends` has been applied. */
export interface StageFeatures {
  /** API Gateway fronts the function (apigateway_enabled, on by default). */
  apiGateway: boolean;
  /** A v1 REST API (Zappa's default): its integrations use the execution role as their credentials. */
  restApi: boolean;
  /** Zappa schedules a warm-up rule (`keep_warm`, on by default). */
  keepWarm: boolean;
  /** `events` entries with an `expression`: scheduled through EventBridge, like keep_warm. */
  scheduledEvents: boolean;
  vpc: boolean;
  xray: boolean;
  efs: boolean;
  websocket: boolean;
  slimHandler: boolean;
  /** `remote_env` as `s3://bucket/key`. */
  remoteEnv?: {bucket: string; key: string};
  eventSources: EventSource[];
  /** `async_source: sns`: tasks are published to the stage's async topic. */
  asyncSns: boolean;
  /** `async_response_table`: task results are kept in this DynamoDB table. */
  asyncTable?: string;
  /** `extra_permissions`: statements Zappa adds to the role only when it manages roles. */
  extraPermissions: Statement[];
  tags: boolean;
  functionUrl: boolean;
  /** `role_arn`: Zappa uses this role as it is, and never looks at `role_name`. */
  roleArn?: string;
}

export const truthy = (v: unknown): boolean =>
  v === true || (typeof v === 'string' && v !== '' && v.toLowerCase() !== 'false') || (typeof v === 'number' && v !== 0);
export const isSet = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && v !== false && !(Array.isArray(v) && !v.length) &&
  !(typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as object).length);
/** Zappa's `stage_config.get(key, True)`: on when absent; an explicit null is Python's None, so off. */
export const defaultsTrue = (v: unknown): boolean => v === undefined || truthy(v);

/** One entry of `events`, as far as IAM cares. */
export interface EventEntry { expression?: unknown; expressions?: unknown; event_source?: {arn?: unknown; filters?: unknown} }

/** The stage's `events` entries that are objects (anything else Zappa would reject). */
export function eventsOf(settings: Record<string, unknown>): EventEntry[] {
  return Array.isArray(settings.events) ? (settings.events as EventEntry[]).filter((e) => e && typeof e === 'object') : [];
}

function eventSourcesOf(settings: Record<string, unknown>): EventSource[] {
  return eventsOf(settings).flatMap((e) => {
    const arn = e.event_source?.arn;
    return typeof arn === 'string' ? [{service: arn.split(':')[2] ?? '', arn}] : [];
  });
}

function remoteEnvOf(value: unknown): {bucket: string; key: string} | undefined {
  const match = typeof value === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(value) : null;
  return match ? {bucket: match[1]!, key: match[2]!} : undefined;
}

/** Older settings name the bucket and file apart (cli.py joins them to s3://bucket/file). */
function legacyRemoteEnv(settings: Record<string, unknown>): string | undefined {
  const {remote_env_bucket: bucket, remote_env_file: file} = settings;
  return typeof bucket === 'string' && bucket && typeof file === 'string' && file ? `s3://${bucket}/${file}` : undefined;
}

/** Zappa's statements are IAM statement objects; anything else is ignored by IAM and by us. */
function extraPermissionsOf(value: unknown): Statement[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  return list.filter((s): s is Statement => !!s && typeof s === 'object' && !Array.isArray(s));
}

export function stageFeatures(settings: Record<string, unknown>): StageFeatures {
  const events = eventsOf(settings);
  const websocket = isSet(settings.websocket_handler_module) || Object.keys(settings).some((k) => k.startsWith('websocket') && truthy(settings[k]));
  return {
    apiGateway: defaultsTrue(settings.apigateway_enabled ?? settings.use_apigateway),
    restApi: defaultsTrue(settings.apigateway_enabled ?? settings.use_apigateway) && settings.apigateway_version !== 'v2',
    keepWarm: defaultsTrue(settings.keep_warm),
    scheduledEvents: events.some((e) => isSet(e.expression) || isSet(e.expressions)),
    vpc: isSet(settings.vpc_config) && isSet((settings.vpc_config as {SubnetIds?: unknown}).SubnetIds),
    xray: truthy(settings.xray_tracing),
    efs: isSet(settings.efs_config),
    websocket,
    slimHandler: truthy(settings.slim_handler),
    remoteEnv: remoteEnvOf(settings.remote_env ?? legacyRemoteEnv(settings)),
    eventSources: eventSourcesOf(settings),
    asyncSns: settings.async_source === 'sns',
    asyncTable: typeof settings.async_response_table === 'string' && settings.async_response_table ? settings.async_response_table : undefined,
    extraPermissions: extraPermissionsOf(settings.extra_permissions),
    tags: isSet(settings.tags),
    functionUrl: truthy(settings.function_url_enabled),
    roleArn: typeof settings.role_arn === 'string' && settings.role_arn ? settings.role_arn : undefined,
  };
}

/** EventBridge is handed the role: keep_warm (on by default) or scheduled events. */
export const schedulesEvents = (f: StageFeatures): boolean => f.keepWarm || f.scheduledEvents;
