/**
 * The AWS operations the wizard uses, in its own types. Steps depend on this
 * interface only; `sdk-gateway.ts` implements it with the AWS SDK and tests
 * may implement it in memory. Every method throws AwsError on failure.
 */
import type {PolicyDocument} from '../plan/policy.js';

export type Tags = Record<string, string>;

export interface CallerIdentity { account: string; arn: string; partition: string }
export interface IamUser {
  name: string; arn: string; tags: Tags;
  /** The ARN of the user's permissions boundary, when it has one. */
  permissionsBoundary?: string;
}
/** An IAM group (groups carry no tags in IAM) and its members' names. */
export interface IamGroup { name: string; arn: string; members: string[] }
/** An IAM OIDC identity provider: its issuer URL without https://, its audiences and tags. */
export interface OidcProvider { arn: string; url: string; clientIds: string[]; thumbprints: string[]; tags: Tags }
export interface AccessKeyInfo { id: string; status: 'Active' | 'Inactive'; created?: Date }
export interface NewAccessKey { id: string; secret: string }
/** GetAccessKeyLastUsed: when, with which service and in which region; all unset for a key never used. */
export interface KeyLastUsed { date?: Date; service?: string; region?: string }
export interface ManagedPolicy { arn: string; defaultVersionId: string; tags: Tags }
export interface PolicyVersionInfo { id: string; isDefault: boolean; created?: Date }
export interface IamRole {
  name: string; arn: string; trust: PolicyDocument; tags: Tags;
  /** The ARN of the role's permissions boundary, when it has one. */
  permissionsBoundary?: string;
}
/**
 * free: nobody has it; ours: this account owns it; taken: another account owns
 * it; {elsewhere}: it exists in another region than the one asked (HeadBucket
 * 301), named by S3's x-amz-bucket-region header ('another region' when S3 did
 * not say). Whoever owns it, Lambda cannot read code from it for this region.
 * unknown: it exists, and S3 would not say whose it is (HeadBucket 403 and no
 * s3:ListAllMyBuckets): the name is kept, with a warning.
 */
export type BucketOwnership = 'free' | 'ours' | 'taken' | 'unknown' | {elsewhere: string};
/** Everything a managed policy is attached to, by name. */
export interface PolicyEntities { users: string[]; roles: string[]; groups: string[] }

export interface AwsPort {
  getCallerIdentity(): Promise<CallerIdentity>;
  /** Asks STS who owns the given key: proves the key works. */
  identityOfKey(key: {id: string; secret: string}): Promise<CallerIdentity>;
  /** The access key ID of the credentials this run signs in with (no call to AWS); undefined when unknown. */
  adminKeyId?(): Promise<string | undefined>;

  /** Asks STS who the named local profile signs in as, resolving it as the AWS CLI does (role_arn + source_profile or credential_source: the role is assumed). */
  identityOfProfile(profile: string): Promise<CallerIdentity>;

  getUser(name: string): Promise<IamUser | undefined>;
  createUser(name: string, tags: Tags, permissionsBoundary?: string): Promise<IamUser>;
  /** Sets (or replaces) the user's permissions boundary (iam:PutUserPermissionsBoundary). */
  putUserPermissionsBoundary(name: string, arn: string): Promise<void>;
  deleteUser(name: string): Promise<void>;
  /** Adds or overwrites tags on the user (iam:TagUser). */
  tagUser(name: string, tags: Tags): Promise<void>;

  listAccessKeys(user: string): Promise<AccessKeyInfo[]>;
  keyLastUsed(id: string): Promise<KeyLastUsed>;
  createAccessKey(user: string): Promise<NewAccessKey>;
  updateAccessKey(user: string, id: string, status: 'Active' | 'Inactive'): Promise<void>;
  deleteAccessKey(user: string, id: string): Promise<void>;

  getPolicy(arn: string): Promise<ManagedPolicy | undefined>;
  getPolicyDocument(arn: string, versionId: string): Promise<PolicyDocument>;
  listPolicyVersions(arn: string): Promise<PolicyVersionInfo[]>;
  createPolicy(name: string, doc: PolicyDocument, description: string, tags: Tags): Promise<ManagedPolicy>;
  createPolicyVersion(arn: string, doc: PolicyDocument): Promise<void>;
  /** Adds or overwrites tags on the policy (iam:TagPolicy). */
  tagPolicy(arn: string, tags: Tags): Promise<void>;
  deletePolicyVersion(arn: string, versionId: string): Promise<void>;
  deletePolicy(arn: string): Promise<void>;
  /** Users, roles and groups the policy is attached to (teardown checks before deleting). */
  listEntitiesForPolicy(arn: string): Promise<PolicyEntities>;
  detachGroupPolicy(group: string, arn: string): Promise<void>;

  /** The group with its members (iam:GetGroup), undefined when there is none. */
  getGroup(name: string): Promise<IamGroup | undefined>;
  createGroup(name: string): Promise<IamGroup>;
  deleteGroup(name: string): Promise<void>;
  addUserToGroup(group: string, user: string): Promise<void>;
  removeUserFromGroup(group: string, user: string): Promise<void>;
  /** Names of the groups the user is in (iam:ListGroupsForUser). */
  listGroupsForUser(user: string): Promise<string[]>;
  /** ARNs of the managed policies attached to the group. */
  listGroupPolicies(group: string): Promise<string[]>;
  attachGroupPolicy(group: string, arn: string): Promise<void>;

  /** ARNs of the account's OIDC identity providers. */
  listOidcProviders(): Promise<string[]>;
  getOidcProvider(arn: string): Promise<OidcProvider | undefined>;
  createOidcProvider(url: string, clientIds: string[], thumbprints: string[], tags: Tags): Promise<OidcProvider>;
  addOidcClientId(arn: string, clientId: string): Promise<void>;
  deleteOidcProvider(arn: string): Promise<void>;

  listUserPolicies(user: string): Promise<string[]>;
  attachUserPolicy(user: string, arn: string): Promise<void>;
  detachUserPolicy(user: string, arn: string): Promise<void>;

  getRole(name: string): Promise<IamRole | undefined>;
  createRole(name: string, trust: PolicyDocument, description: string, tags: Tags, permissionsBoundary?: string): Promise<IamRole>;
  /** Sets (or replaces) the role's permissions boundary (iam:PutRolePermissionsBoundary). */
  putRolePermissionsBoundary(name: string, arn: string): Promise<void>;
  /** Adds or overwrites tags on the role (iam:TagRole). */
  tagRole(name: string, tags: Tags): Promise<void>;
  updateTrust(name: string, trust: PolicyDocument): Promise<void>;
  deleteRole(name: string): Promise<void>;
  listRolePolicies(role: string): Promise<string[]>;
  attachRolePolicy(role: string, arn: string): Promise<void>;
  detachRolePolicy(role: string, arn: string): Promise<void>;

  bucketOwnership(bucket: string): Promise<BucketOwnership>;
}

/** Counts of calls made, as the --json report shows them. */
export interface CallCounts { read: number; write: number }

/** The tag that marks what the wizard created; teardown removes only these. */
export const MANAGED_TAG = {key: 'ManagedBy', value: 'zappa-iam-wizard'} as const;
export const managedTags = (): Tags => ({[MANAGED_TAG.key]: MANAGED_TAG.value});
export const isManaged = (tags: Tags): boolean => tags[MANAGED_TAG.key] === MANAGED_TAG.value;
