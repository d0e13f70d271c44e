/**
 * The permission proof: the serverless user's effective identity policies,
 * evaluated offline against every call Zappa makes for this stage's
 * settings (with the real function, role, bucket and log group ARNs), plus
 * the refusals that keep the user least-privileged. Pure: the caller
 * gathers the policy documents (see effective.ts).
 */
import {evaluate, type Decision, type DecidingStatement, type EvalRequest} from './evaluate.js';
import type {RequestContext} from './conditions.js';
import {listOf, serviceOf, statementsOf, type NamedPolicy} from './statements.js';
import {allZappaCalls, relevantCommands, roleArn, zappaCalls, type Certainty, type ZappaCall, type ZappaCommand, type ZappaTarget} from './zappa-calls.js';
import type {RoleProof} from './role-proof.js';

export type {NamedPolicy} from './statements.js';

/** What provePermissions needs. */
export interface ProofInput {
  /** Every identity policy that applies to the user (attached, inline, from groups). */
  policies: NamedPolicy[];
  /** The stage being deployed: ARNs and settings. */
  target: ZappaTarget;
  /** The IAM user Zappa runs as. */
  userName: string;
  /** Policies that could not be read: the proof then covers only the rest, and says so. */
  unreadable?: string[];
  /** The execution role's trust and permissions, proven by the caller (role-proof.ts). */
  role?: RoleProof;
}

/** A call Zappa makes that the policies do not allow. */
export interface MissingCall {
  action: string;
  resource: string;
  decision: Exclude<Decision, 'allowed'>;
  /** Zappa carries on without it (what happens then is in `effect`). */
  tolerated: boolean;
  effect?: string;
  certainty: Certainty;
  /** The Deny (or conditional statement) that decided, if any. */
  by?: DecidingStatement;
}

/** One Zappa command: how many of its permission checks pass. */
export interface CommandProof {
  command: ZappaCommand;
  allowed: number;
  total: number;
  missing: MissingCall[];
  /** Every call allowed, or refused only where Zappa carries on. */
  ok: boolean;
}

/** One request that must be refused. */
export interface DenialCheck { action: string; resource: string; decision: Decision; by?: DecidingStatement }

/** A refusal that matters, e.g. "no IAM user creation", with the requests that show it. */
export interface DenialProof {
  id: 'no-user-or-key-creation' | 'no-other-roles' | 'no-role-changes' | 'no-s3-outside-zappa' | 'no-other-services';
  title: string;
  holds: boolean;
  checks: DenialCheck[];
  /** For no-other-services: the extra services the policies grant (`*` = every service). */
  services?: string[];
}

/** The whole proof; `ok` when every command passes and every refusal holds. */
export interface Proof {
  user: string;
  policies: string[];
  unreadable: string[];
  commands: CommandProof[];
  denials: DenialProof[];
  role?: RoleProof;
  ok: boolean;
}

/**
 * Proves what the user can and cannot do for Zappa, offline. For doctor:
 * gather the user's policies (effectivePolicies in effective.ts), build the
 * target (zappaTargetOf), and call this.
 */
export function provePermissions(input: ProofInput): Proof {
  const context = requestContext(input.target, input.userName);
  const commands = relevantCommands(input.target.settings).map((command) => proveCommand(input.policies, zappaCalls(input.target, command), command, context));
  const denials = proveDenials(input, context);
  return {
    user: input.userName,
    policies: input.policies.map((p) => p.name),
    unreadable: input.unreadable ?? [],
    commands,
    denials,
    ...(input.role ? {role: input.role} : {}),
    ok: commands.every((c) => c.ok) && denials.every((d) => d.holds) && !(input.unreadable ?? []).length && (input.role?.ok ?? true),
  };
}

/**
 * What the wizard knows about a request signed with the user's long-term
 * access key. Keys it cannot know (source IP, time, tags) stay unknown.
 */
export function requestContext(t: ZappaTarget, userName: string): RequestContext {
  return {
    values: {
      'aws:RequestedRegion': t.region,
      'aws:PrincipalArn': `arn:${t.partition}:iam::${t.account}:user/${userName}`,
      'aws:PrincipalAccount': t.account,
      'aws:PrincipalType': 'User',
      'aws:username': userName,
      'aws:SecureTransport': 'true',
    },
    // An access key is not an MFA session and not a role session.
    absent: ['aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge', 'aws:TokenIssueTime', 'aws:SourceIdentity'],
  };
}

function proveCommand(policies: NamedPolicy[], calls: ZappaCall[], command: ZappaCommand, context: RequestContext): CommandProof {
  const checked = calls.filter((c) => !c.free);
  const missing: MissingCall[] = [];
  for (const call of checked) {
    const {decision, by} = evaluate(policies, requestOf(call, context));
    if (decision === 'allowed') continue;
    missing.push({
      action: call.action, resource: call.resource, decision, tolerated: call.tolerated !== undefined,
      ...(call.tolerated ? {effect: call.tolerated} : {}), certainty: call.certainty, ...(by ? {by} : {}),
    });
  }
  return {command, allowed: checked.length - missing.length, total: checked.length, missing, ok: missing.every((m) => m.tolerated)};
}

/** The request a Zappa call makes, with the keys only some actions carry (see contextFor). */
export function requestOf(call: Pick<ZappaCall, 'action' | 'resource' | 'wildcardOnly'>, context: RequestContext): EvalRequest {
  return {action: call.action, resource: call.resource, wildcardOnly: call.wildcardOnly, context: contextFor(call.action, context)};
}

/**
 * Adds the keys only some actions carry: iam:PassRole names the service the
 * role goes to. Zappa passes the execution role to Lambda (CreateFunction,
 * UpdateFunctionConfiguration).
 */
export function contextFor(action: string, base: RequestContext): RequestContext {
  if (action.toLowerCase() !== 'iam:passrole') return base;
  return {...base, values: {...base.values, 'iam:PassedToService': 'lambda.amazonaws.com'}};
}

/** Probe names: clearly not anything the wizard or Zappa creates. */
const PROBE = {user: 'someone-else', role: 'SomeOtherRole', bucket: 'other-bucket'} as const;

/** A probe name that is surely not the stage's own (in case someone named theirs the same). */
const unlike = (probe: string, own: string): string => (probe === own ? `other-${probe}` : probe);

function proveDenials(input: ProofInput, context: RequestContext): DenialProof[] {
  const t = input.target;
  const iam = (path: string) => `arn:${t.partition}:iam::${t.account}:${path}`;
  // Another project's role, shaped like ours: the document's role/*-ZappaLambdaExecutionRole matches it.
  const otherZappaRole = iam(`role/${unlike(`another-app-${t.stage}-ZappaLambdaExecutionRole`, t.roleName)}`);
  const otherUser = unlike(PROBE.user, input.userName);
  const s3 = (path: string) => `arn:${t.partition}:s3:::${path}`;
  const probe = (id: DenialProof['id'], title: string, requests: [string, string][]): DenialProof => {
    const checks = requests.map(([action, resource]) => ({action, resource, ...evaluate(input.policies, {action, resource, context: contextFor(action, context)})}));
    return {id, title, holds: checks.every((c) => c.decision === 'implicit-deny' || c.decision === 'explicit-deny'), checks};
  };
  return [
    probe('no-user-or-key-creation', 'No IAM user or access key creation', [
      ['iam:CreateUser', iam(`user/${otherUser}`)],
      ['iam:CreateAccessKey', iam(`user/${input.userName}`)],
      ['iam:CreateAccessKey', iam(`user/${otherUser}`)],
    ]),
    probe('no-other-roles', 'No passing roles other than the execution role', [
      ['iam:PassRole', iam(`role/${unlike(PROBE.role, t.roleName)}`)],
      ['iam:PassRole', otherZappaRole],
    ]),
    probe('no-role-changes', 'No creating roles or changing their permissions', [
      ['iam:CreateRole', otherZappaRole],
      ['iam:AttachRolePolicy', roleArn(t)],
      ['iam:PutRolePolicy', roleArn(t)],
    ]),
    probe('no-s3-outside-zappa', 'No S3 access outside buckets named zappa-*', [
      ['s3:CreateBucket', s3(PROBE.bucket)],
      ['s3:ListBucket', s3(PROBE.bucket)],
      ['s3:GetObject', s3(`${PROBE.bucket}/data.csv`)],
      ['s3:PutObject', s3(`${PROBE.bucket}/data.csv`)],
    ]),
    otherServices(input.policies, t),
  ];
}

/**
 * Services the Allow statements reach beyond those Zappa calls for these
 * settings. Read from the statements themselves, so it covers every action
 * of every service, not a sample.
 */
function otherServices(policies: NamedPolicy[], t: ZappaTarget): DenialProof {
  const zappa = new Set(allZappaCalls(t).filter((c) => !c.free).map((c) => serviceOf(c.action)));
  const extra = new Set<string>();
  for (const {document} of policies) {
    for (const s of statementsOf(document)) {
      if (s.Effect !== 'Allow') continue;
      if (s.Action === undefined) {
        // NotAction in an Allow grants everything not listed.
        if (s.NotAction !== undefined) extra.add('*');
        continue;
      }
      for (const action of listOf(s.Action)) {
        const service = serviceOf(action);
        if (action === '*' || service.includes('*') || service.includes('?')) extra.add('*');
        else if (!zappa.has(service)) extra.add(service);
      }
    }
  }
  const services = [...extra].sort();
  return {id: 'no-other-services', title: 'Nothing from services Zappa does not use', holds: !services.length, checks: [], services};
}

/** The set of services Zappa calls for these settings (for explaining and tests). */
export function zappaServices(t: ZappaTarget): string[] {
  return [...new Set(allZappaCalls(t).filter((c) => !c.free).map((c) => serviceOf(c.action)))].sort();
}
