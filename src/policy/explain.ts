/**
 * Permissions in plain words for the interactive plan: a policy's Allow
 * statements grouped by AWS service, each with why Zappa needs it, and what
 * `--policy strict` would take away or narrow. Pure.
 */
import type {PolicyDocument} from '../plan/policy.js';
import type {DesiredState} from '../plan/types.js';
import {globMatch} from './glob.js';
import {listOf, serviceOf, statementsOf} from './statements.js';
import {strictDeploymentPolicy} from './strict.js';
import {zappaTargetOf} from './target.js';

/** One service's permissions in a policy. */
export interface PermissionGroup {
  /** Service prefix: `lambda`, `s3`… (`*` for actions on every service). */
  service: string;
  /** The service's name: "AWS Lambda". */
  title: string;
  /** Why Zappa needs this service, in one or two sentences. */
  why: string;
  /** The actions the policy grants for this service, as written. */
  actions: string[];
  /** The resources those actions are granted on. */
  resources: string[];
  /** Actions strict does not grant at all (empty without a strict document). */
  removedByStrict: string[];
  /** Strict keeps some of these actions but on fewer resources. */
  narrowedByStrict: boolean;
  /** Actions strict grants here that this policy lacks (Zappa calls them, but carries on without). */
  addedByStrict: string[];
}

interface ServiceNote { title: string; why: string }

/** Why Zappa needs each service: our words, from what Zappa's code calls and when. */
const SERVICES: Record<string, ServiceNote> = {
  iam: {title: 'IAM', why: 'Zappa looks up the execution role and hands it to Lambda, so your function runs with that role\'s permissions and nothing more.'},
  s3: {title: 'Amazon S3', why: 'Zappa uploads each build of your app to the deployment bucket (creating the bucket on first deploy), Lambda and CloudFormation read it from there, and old builds are deleted.'},
  lambda: {title: 'AWS Lambda', why: 'Your app runs as one Lambda function: Zappa creates it, updates its code and settings, lets API Gateway and schedules invoke it, and deletes it on undeploy.'},
  logs: {title: 'CloudWatch Logs', why: '`zappa tail` reads the function\'s log group; `zappa undeploy --remove-logs` deletes it.'},
  apigateway: {title: 'Amazon API Gateway', why: 'API Gateway gives your app its public HTTPS address and passes each request to the function.'},
  cloudformation: {title: 'AWS CloudFormation', why: 'Zappa describes the API Gateway setup as a CloudFormation stack named after the function, then creates, updates and deletes that stack.'},
  events: {title: 'Amazon EventBridge', why: 'Scheduled rules run the keep-warm ping (on by default, every 4 minutes) and any timed events in your settings.'},
  cloudwatch: {title: 'Amazon CloudWatch', why: '`zappa status` reads the function\'s invocation and error counts for the last day.'},
  sns: {title: 'Amazon SNS', why: 'Your settings use SNS: as an event source, or as the channel for asynchronous tasks.'},
  dynamodb: {title: 'Amazon DynamoDB', why: 'Your settings keep asynchronous task results in a DynamoDB table (async_response_table).'},
  ec2: {title: 'Amazon EC2', why: 'Your settings put the function in a VPC (vpc_config); Lambda checks the subnets and security groups with your permissions.'},
  elasticloadbalancing: {title: 'Elastic Load Balancing', why: 'Your settings put an Application Load Balancer in front of the function (alb_enabled).'},
  elasticfilesystem: {title: 'Amazon EFS', why: 'Your settings attach an EFS file system that Zappa creates (efs_config).'},
  'cognito-idp': {title: 'Amazon Cognito', why: 'Your settings hook the function into a Cognito user pool as a trigger.'},
  route53: {title: 'Amazon Route 53', why: '`zappa certify` points your domain at the API and proves you own it.'},
  acm: {title: 'AWS Certificate Manager', why: '`zappa certify` imports your domain\'s certificate.'},
  cloudfront: {title: 'Amazon CloudFront', why: 'Edge-optimized custom domains (`zappa certify`) are served through CloudFront.'},
  sqs: {title: 'Amazon SQS', why: 'Your settings use an SQS queue as an event source.'},
  kinesis: {title: 'Amazon Kinesis', why: 'Your settings use a Kinesis stream as an event source.'},
  sts: {title: 'AWS STS', why: 'Zappa asks who it is running as; AWS answers that without any permission.'},
};

const UNKNOWN = 'Zappa does not call this service for these settings.';

/**
 * Groups a policy's permissions by service. Pass the strict document (for
 * the same stage) to learn what strict removes, narrows or adds; omit it
 * to just explain.
 */
export function explainPolicy(doc: PolicyDocument, strictDoc?: PolicyDocument): PermissionGroup[] {
  const granted = allows(doc);
  const strict = strictDoc ? allows(strictDoc) : undefined;
  const services = new Set([...granted.keys(), ...(strict?.keys() ?? [])]);
  return [...services].sort(byReadingOrder).map((service) => {
    const mine = granted.get(service) ?? {actions: [], resources: []};
    const theirs = strict?.get(service);
    const note = SERVICES[service];
    // Without a strict document nothing is compared; a service strict lacks loses every action.
    const kept = !strict ? mine.actions : mine.actions.filter((a) => theirs?.actions.some((s) => covers(a, s)));
    return {
      service,
      title: service === '*' ? 'Every AWS service' : note?.title ?? service,
      why: service === '*' ? 'A wildcard action grants everything in AWS; Zappa needs none of that.' : note?.why ?? UNKNOWN,
      actions: mine.actions,
      resources: mine.resources,
      removedByStrict: mine.actions.filter((a) => !kept.includes(a)),
      narrowedByStrict: Boolean(theirs && kept.length && !sameSet(mine.resources, theirs.resources)),
      addedByStrict: theirs ? theirs.actions.filter((s) => !mine.actions.some((a) => covers(a, s))) : [],
    };
  });
}

/**
 * For the interactive plan: the deployment policy about to be deployed,
 * explained against strict for the same stage. `allSettings` is the whole
 * zappa_settings.json (session.files.settings()).
 */
export function explainDeploymentPolicy(desired: DesiredState, allSettings: Record<string, Record<string, unknown>>): PermissionGroup[] {
  return explainPolicy(desired.deploymentPolicy.document, strictDeploymentPolicy(zappaTargetOf(desired, allSettings)));
}

interface Granted { actions: string[]; resources: string[] }

function allows(doc: PolicyDocument): Map<string, Granted> {
  const out = new Map<string, Granted>();
  for (const s of statementsOf(doc)) {
    if (s.Effect !== 'Allow') continue;
    const resources = listOf(s.Resource ?? s.NotResource);
    const actions = s.Action === undefined && s.NotAction !== undefined ? ['*'] : listOf(s.Action);
    for (const action of actions) {
      const service = action === '*' ? '*' : serviceOf(action);
      const g = out.get(service) ?? {actions: [], resources: []};
      out.set(service, g);
      if (!g.actions.includes(action)) g.actions.push(action);
      for (const r of resources) if (!g.resources.includes(r)) g.resources.push(r);
    }
  }
  for (const g of out.values()) g.actions.sort();
  return out;
}

/** Does the granted pattern `a` (e.g. `logs:*`) grant action `s`? */
function covers(a: string, s: string): boolean {
  if (a === '*') return true;
  return serviceOf(a) === serviceOf(s) && globMatch(a.slice(a.indexOf(':') + 1), s.slice(s.indexOf(':') + 1), true);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** IAM first (it is what people worry about), then the core of a deployment, then the rest. */
const FIRST = ['*', 'iam', 'lambda', 's3', 'apigateway', 'cloudformation', 'events', 'logs', 'cloudwatch'];

function byReadingOrder(a: string, b: string): number {
  const ia = FIRST.indexOf(a);
  const ib = FIRST.indexOf(b);
  return (ia < 0 ? FIRST.length : ia) - (ib < 0 ? FIRST.length : ib) || a.localeCompare(b);
}
