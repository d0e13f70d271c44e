/**
 * Memoised read-only AWS lookups shared by every step's check. Each lookup
 * starts once, on first use, and every step awaiting it shares the promise:
 * checks run in parallel and still make each call only once.
 */
import type {AwsPort, AccessKeyInfo, BucketOwnership, CallerIdentity, IamGroup, IamRole, IamUser, KeyLastUsed, ManagedPolicy, PolicyEntities} from '../aws/port.js';
import type {PolicyDocument} from '../plan/policy.js';

export interface PolicyState { policy: ManagedPolicy; document: PolicyDocument }

export class Reads {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly aws: AwsPort) {}

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      // A rejection is handled by whoever awaits it; don't crash on an unawaited prefetch.
      p.catch(() => {});
      this.memo.set(key, p);
    }
    return p;
  }

  /** Drops cached answers so a step can re-read after it changed something. */
  forget(prefix: string): void {
    for (const key of [...this.memo.keys()]) if (key.startsWith(prefix)) this.memo.delete(key);
  }

  identity(): Promise<CallerIdentity> {
    return this.once('identity', () => this.aws.getCallerIdentity());
  }

  user(name: string): Promise<IamUser | undefined> {
    return this.once(`user:${name}`, () => this.aws.getUser(name));
  }

  accessKeys(user: string): Promise<AccessKeyInfo[]> {
    return this.once(`keys:${user}`, () => this.aws.listAccessKeys(user));
  }

  /** When the key was last used (iam:GetAccessKeyLastUsed). */
  keyLastUsed(id: string): Promise<KeyLastUsed> {
    return this.once(`lastUsed:${id}`, () => this.aws.keyLastUsed(id));
  }

  userPolicies(user: string): Promise<string[]> {
    return this.once(`userPolicies:${user}`, () => this.aws.listUserPolicies(user));
  }

  group(name: string): Promise<IamGroup | undefined> {
    return this.once(`group:${name}`, () => this.aws.getGroup(name));
  }

  groupsForUser(user: string): Promise<string[]> {
    return this.once(`userGroups:${user}`, () => this.aws.listGroupsForUser(user));
  }

  groupPolicies(group: string): Promise<string[]> {
    return this.once(`groupPolicies:${group}`, () => this.aws.listGroupPolicies(group));
  }

  /** Who the local profile signs in as, resolved as the AWS CLI does (a role is assumed), or the error. */
  profileIdentity(profile: string): Promise<CallerIdentity | Error> {
    return this.once(`profileIdentity:${profile}`, () => this.aws.identityOfProfile(profile).catch((err: Error) => err));
  }

  role(name: string): Promise<IamRole | undefined> {
    return this.once(`role:${name}`, () => this.aws.getRole(name));
  }

  rolePolicies(role: string): Promise<string[]> {
    return this.once(`rolePolicies:${role}`, () => this.aws.listRolePolicies(role));
  }

  /** iam:GetPolicy alone (default version, tags), for what does not need the document. */
  policyInfo(arn: string): Promise<ManagedPolicy | undefined> {
    return this.once(`policy:${arn}:info`, () => this.aws.getPolicy(arn));
  }

  policy(arn: string): Promise<PolicyState | undefined> {
    return this.once(`policy:${arn}`, async () => {
      const policy = await this.policyInfo(arn);
      if (!policy) return undefined;
      return {policy, document: await this.aws.getPolicyDocument(arn, policy.defaultVersionId)};
    });
  }

  /** Users, roles and groups a managed policy is attached to. */
  policyEntities(arn: string): Promise<PolicyEntities> {
    return this.once(`entities:${arn}`, () => this.aws.listEntitiesForPolicy(arn));
  }

  bucket(name: string): Promise<BucketOwnership> {
    return this.once(`bucket:${name}`, () => this.aws.bucketOwnership(name));
  }

  /** The key ID this run signs in with, or undefined when it cannot be told. */
  adminKeyId(): Promise<string | undefined> {
    return this.once('adminKeyId', async () => (await this.aws.adminKeyId?.().catch(() => undefined)) ?? undefined);
  }

  /** Who the key answers as, or the error STS gave. */
  keyIdentity(key: {id: string; secret: string}): Promise<CallerIdentity | Error> {
    return this.once(`keyIdentity:${key.id}`, () => this.aws.identityOfKey(key).catch((err: Error) => err));
  }
}
