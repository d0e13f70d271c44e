/**
 * AwsPort over the AWS SDK v3. The only module that imports the IAM, STS and
 * S3 clients. Every call goes through `call()`, which counts it (read or
 * write, for the --json report) and translates its error once.
 */
import {
  IAMClient, GetUserCommand, CreateUserCommand, DeleteUserCommand, TagUserCommand, ListAccessKeysCommand,
  GetAccessKeyLastUsedCommand, CreateAccessKeyCommand, UpdateAccessKeyCommand, DeleteAccessKeyCommand,
  GetPolicyCommand, GetPolicyVersionCommand, ListPolicyVersionsCommand, CreatePolicyCommand,
  CreatePolicyVersionCommand, DeletePolicyVersionCommand, DeletePolicyCommand, TagPolicyCommand,
  ListEntitiesForPolicyCommand, DetachGroupPolicyCommand,
  ListAttachedUserPoliciesCommand, AttachUserPolicyCommand, DetachUserPolicyCommand,
  GetRoleCommand, CreateRoleCommand, UpdateAssumeRolePolicyCommand, DeleteRoleCommand,
  ListAttachedRolePoliciesCommand, AttachRolePolicyCommand, DetachRolePolicyCommand,
  PutUserPermissionsBoundaryCommand, PutRolePermissionsBoundaryCommand, TagRoleCommand,
  GetGroupCommand, CreateGroupCommand, DeleteGroupCommand, AddUserToGroupCommand, RemoveUserFromGroupCommand,
  ListGroupsForUserCommand, ListAttachedGroupPoliciesCommand, AttachGroupPolicyCommand,
  ListOpenIDConnectProvidersCommand, GetOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand,
  AddClientIDToOpenIDConnectProviderCommand, DeleteOpenIDConnectProviderCommand,
  type Tag,
} from '@aws-sdk/client-iam';
import {STSClient, GetCallerIdentityCommand} from '@aws-sdk/client-sts';
import {S3Client, HeadBucketCommand, ListBucketsCommand} from '@aws-sdk/client-s3';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider} from '@smithy/types';
import {decodeDocument, serializePolicy, type PolicyDocument} from '../plan/policy.js';
import {AwsError, toAwsError} from './aws-error.js';
import {callLimits, guardClient, requestHandlerOptions} from './call-guard.js';
import {profileOf} from './credentials.js';
import {sdkSettings, type SdkService, type SdkSettings} from './sdk-settings.js';
import type {
  AwsPort, BucketOwnership, CallCounts, CallerIdentity, KeyLastUsed, Tags, ManagedPolicy, IamRole, PolicyEntities,
  IamGroup, OidcProvider,
} from './port.js';

export interface GatewayConfig {
  /** Admin credentials; undefined means the SDK's default chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Region for STS and S3 (IAM is global and lives in us-east-1 of the partition). */
  region: string;
  endpoints: {iam?: string; sts?: string; s3?: string};
  /** The profile whose settings (retries, FIPS, endpoint_url…) the clients use; undefined: AWS_PROFILE, else default, as the SDK. */
  profile?: string;
}

type Sendable = {send(command: unknown): Promise<unknown>};

const toTags = (tags: Tags): Tag[] => Object.entries(tags).map(([Key, Value]) => ({Key, Value}));
const fromTags = (tags?: Tag[]): Tags => Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
const READ_PREFIXES = ['Get', 'List', 'Head'];
/** Takes the place of the SDK's retry middleware (same name, step and priority) for one command: no retry. */
const SEND_ONCE = {name: 'retryMiddleware', step: 'finalizeRequest', priority: 'high', override: true} as const;

function iamRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-north-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** arn:aws:iam::123456789012:user/x -> "aws" */
function partitionOfArn(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

export class SdkGateway implements AwsPort {
  readonly counts: CallCounts = {read: 0, write: 0};
  private readonly limits = callLimits();
  private readonly iam: IAMClient;
  private readonly sts: STSClient;
  private readonly s3: S3Client;

  /** Resolved once from our own parse of the shared files (sdk-settings.ts): the SDK's loaders would parse them per setting and client. */
  private readonly settings: SdkSettings;

  constructor(private readonly config: GatewayConfig) {
    this.settings = sdkSettings(profileOf(config.profile));
    const common = {credentials: config.credentials, ...this.settings.common, requestHandler: requestHandlerOptions(this.limits)};
    this.iam = this.guarded(new IAMClient({...common, region: iamRegion(config.region), ...this.endpointOf('iam')}), config.endpoints.iam);
    this.sts = this.guarded(new STSClient({...common, region: config.region, ...this.endpointOf('sts')}), config.endpoints.sts);
    this.s3 = this.guarded(new S3Client({
      ...common, ...this.settings.s3, region: config.region, ...this.endpointOf('s3'),
      // Emulators serve every bucket under one host name.
      forcePathStyle: Boolean(config.endpoints.s3),
    }), config.endpoints.s3);
  }

  /**
   * The flag or AWS_ENDPOINT_URL(_<SERVICE>), else the profile's endpoint_url;
   * with neither the client is told not to look (it would parse the files
   * again); when the profile's could not be worked out, the SDK looks itself.
   */
  private endpointOf(service: SdkService): {endpoint?: string; ignoreConfiguredEndpointUrls?: boolean} {
    const given = this.config.endpoints[service] ?? this.settings.endpoints[service];
    if (given) return {endpoint: given};
    return given === null ? {ignoreConfiguredEndpointUrls: true} : {};
  }

  /** Every client gets the timeouts and the not-an-AWS-answer check (call-guard.ts). */
  private guarded<C extends Parameters<typeof guardClient>[0]>(client: C, endpoint: string | undefined): C {
    guardClient(client, this.limits, endpoint !== undefined);
    return client;
  }

  private async call<T>(client: Sendable, command: {constructor: {name: string}}, service: string): Promise<T> {
    const name = command.constructor.name.replace(/Command$/, '');
    const isRead = READ_PREFIXES.some((p) => name.startsWith(p));
    if (isRead) this.counts.read++;
    else this.counts.write++;
    try {
      return (await client.send(command)) as T;
    } catch (err) {
      throw toAwsError(err, `${service}:${name}`);
    }
  }

  /** Reads return undefined for NotFound instead of throwing. */
  private async find<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (err) {
      if (err instanceof AwsError && err.kind === 'NotFound') return undefined;
      throw err;
    }
  }

  async getCallerIdentity(): Promise<CallerIdentity> {
    const out = await this.call<{Account?: string; Arn?: string}>(this.sts, new GetCallerIdentityCommand({}), 'sts');
    return {account: out.Account ?? '', arn: out.Arn ?? '', partition: partitionOfArn(out.Arn ?? '')};
  }

  /** Resolves the admin credentials as the clients do (memoised by the SDK's chain): the key ID only, the secret is not kept. */
  async adminKeyId(): Promise<string | undefined> {
    const credentials = await this.sts.config.credentials();
    return credentials.accessKeyId;
  }

  async identityOfKey(key: {id: string; secret: string}): Promise<CallerIdentity> {
    const sts = this.guarded(new STSClient({
      ...this.settings.common, region: this.config.region, ...this.endpointOf('sts'), maxAttempts: 1,
      credentials: {accessKeyId: key.id, secretAccessKey: key.secret}, requestHandler: requestHandlerOptions(this.limits),
    }), this.config.endpoints.sts);
    try {
      const out = await this.call<{Account?: string; Arn?: string}>(sts, new GetCallerIdentityCommand({}), 'sts');
      return {account: out.Account ?? '', arn: out.Arn ?? '', partition: partitionOfArn(out.Arn ?? '')};
    } finally {
      sts.destroy();
    }
  }

  /**
   * The profile as the AWS CLI would resolve it: the SDK's ini provider reads
   * the same files and, for role_arn, assumes the role (through the same STS
   * endpoint as every other call), then STS says who that is.
   */
  async identityOfProfile(profile: string): Promise<CallerIdentity> {
    const {fromIni} = await import('@aws-sdk/credential-providers');
    const stsConfig = {region: this.config.region, endpoint: this.config.endpoints.sts, maxAttempts: 1, requestHandler: requestHandlerOptions(this.limits)};
    const credentials = fromIni({profile, ignoreCache: true, clientConfig: stsConfig});
    const sts = this.guarded(new STSClient({...stsConfig, credentials}), this.config.endpoints.sts);
    try {
      const out = await this.call<{Account?: string; Arn?: string}>(sts, new GetCallerIdentityCommand({}), 'sts');
      return {account: out.Account ?? '', arn: out.Arn ?? '', partition: partitionOfArn(out.Arn ?? '')};
    } catch (err) {
      // A role that cannot be assumed surfaces from the provider, not from a command: name the call.
      throw err instanceof AwsError ? err : toAwsError(err, 'sts:AssumeRole');
    } finally {
      sts.destroy();
    }
  }

  async getUser(name: string) {
    type Out = {User?: {Arn?: string; Tags?: Tag[]; PermissionsBoundary?: {PermissionsBoundaryArn?: string}}};
    const out = await this.find(() => this.call<Out>(this.iam, new GetUserCommand({UserName: name}), 'iam'));
    if (!out?.User) return undefined;
    const boundary = out.User.PermissionsBoundary?.PermissionsBoundaryArn;
    return {name, arn: out.User.Arn ?? '', tags: fromTags(out.User.Tags), ...(boundary ? {permissionsBoundary: boundary} : {})};
  }

  async createUser(name: string, tags: Tags, permissionsBoundary?: string) {
    const out = await this.call<{User?: {Arn?: string}}>(this.iam, new CreateUserCommand({
      UserName: name, Tags: toTags(tags), PermissionsBoundary: permissionsBoundary,
    }), 'iam');
    return {name, arn: out.User?.Arn ?? '', tags, ...(permissionsBoundary ? {permissionsBoundary} : {})};
  }

  async putUserPermissionsBoundary(name: string, arn: string) {
    await this.call(this.iam, new PutUserPermissionsBoundaryCommand({UserName: name, PermissionsBoundary: arn}), 'iam');
  }

  async deleteUser(name: string) {
    await this.call(this.iam, new DeleteUserCommand({UserName: name}), 'iam');
  }

  async tagUser(name: string, tags: Tags) {
    await this.call(this.iam, new TagUserCommand({UserName: name, Tags: toTags(tags)}), 'iam');
  }

  async listAccessKeys(user: string) {
    const out = await this.find(() => this.call<{AccessKeyMetadata?: {AccessKeyId?: string; Status?: string; CreateDate?: Date}[]}>(
      this.iam, new ListAccessKeysCommand({UserName: user}), 'iam'));
    return (out?.AccessKeyMetadata ?? []).map((k) => ({
      id: k.AccessKeyId ?? '', status: k.Status === 'Active' ? 'Active' as const : 'Inactive' as const, created: k.CreateDate,
    }));
  }

  async keyLastUsed(id: string): Promise<KeyLastUsed> {
    type Out = {AccessKeyLastUsed?: {LastUsedDate?: Date; ServiceName?: string; Region?: string}};
    const out = await this.call<Out>(this.iam, new GetAccessKeyLastUsedCommand({AccessKeyId: id}), 'iam');
    // AWS answers ServiceName and Region "N/A" for a key that was never used.
    const given = (v?: string) => (v && v !== 'N/A' ? v : undefined);
    const used = out.AccessKeyLastUsed;
    return {date: used?.LastUsedDate, service: given(used?.ServiceName), region: given(used?.Region)};
  }

  async createAccessKey(user: string) {
    const command = new CreateAccessKeyCommand({UserName: user});
    // Sent once: a retry after a lost answer makes a second key whose secret nobody receives (access-key.ts decides what follows).
    command.middlewareStack.add((next) => (args) => next(args), SEND_ONCE);
    const out = await this.call<{AccessKey?: {AccessKeyId?: string; SecretAccessKey?: string}}>(this.iam, command, 'iam');
    return {id: out.AccessKey?.AccessKeyId ?? '', secret: out.AccessKey?.SecretAccessKey ?? ''};
  }

  async updateAccessKey(user: string, id: string, status: 'Active' | 'Inactive') {
    await this.call(this.iam, new UpdateAccessKeyCommand({UserName: user, AccessKeyId: id, Status: status}), 'iam');
  }

  async deleteAccessKey(user: string, id: string) {
    await this.call(this.iam, new DeleteAccessKeyCommand({UserName: user, AccessKeyId: id}), 'iam');
  }

  async getPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    const out = await this.find(() => this.call<{Policy?: {Arn?: string; DefaultVersionId?: string; Tags?: Tag[]}}>(
      this.iam, new GetPolicyCommand({PolicyArn: arn}), 'iam'));
    if (!out?.Policy) return undefined;
    return {arn, defaultVersionId: out.Policy.DefaultVersionId ?? 'v1', tags: fromTags(out.Policy.Tags)};
  }

  async getPolicyDocument(arn: string, versionId: string) {
    const out = await this.call<{PolicyVersion?: {Document?: string}}>(
      this.iam, new GetPolicyVersionCommand({PolicyArn: arn, VersionId: versionId}), 'iam');
    return decodeDocument(out.PolicyVersion?.Document ?? '{}');
  }

  async listPolicyVersions(arn: string) {
    const out = await this.call<{Versions?: {VersionId?: string; IsDefaultVersion?: boolean; CreateDate?: Date}[]}>(
      this.iam, new ListPolicyVersionsCommand({PolicyArn: arn}), 'iam');
    return (out.Versions ?? []).map((v) => ({id: v.VersionId ?? '', isDefault: Boolean(v.IsDefaultVersion), created: v.CreateDate}));
  }

  async createPolicy(name: string, doc: PolicyDocument, description: string, tags: Tags) {
    const out = await this.call<{Policy?: {Arn?: string; DefaultVersionId?: string}}>(this.iam, new CreatePolicyCommand({
      PolicyName: name, PolicyDocument: serializePolicy(doc), Description: description, Tags: toTags(tags),
    }), 'iam');
    return {arn: out.Policy?.Arn ?? '', defaultVersionId: out.Policy?.DefaultVersionId ?? 'v1', tags};
  }

  async createPolicyVersion(arn: string, doc: PolicyDocument) {
    await this.call(this.iam, new CreatePolicyVersionCommand({PolicyArn: arn, PolicyDocument: serializePolicy(doc), SetAsDefault: true}), 'iam');
  }

  async tagPolicy(arn: string, tags: Tags) {
    await this.call(this.iam, new TagPolicyCommand({PolicyArn: arn, Tags: toTags(tags)}), 'iam');
  }

  async deletePolicyVersion(arn: string, versionId: string) {
    await this.call(this.iam, new DeletePolicyVersionCommand({PolicyArn: arn, VersionId: versionId}), 'iam');
  }

  async deletePolicy(arn: string) {
    await this.call(this.iam, new DeletePolicyCommand({PolicyArn: arn}), 'iam');
  }

  async listEntitiesForPolicy(arn: string): Promise<PolicyEntities> {
    type Out = {PolicyUsers?: {UserName?: string}[]; PolicyRoles?: {RoleName?: string}[]; PolicyGroups?: {GroupName?: string}[]; IsTruncated?: boolean; Marker?: string};
    const all: PolicyEntities = {users: [], roles: [], groups: []};
    let marker: string | undefined;
    do {
      const out = await this.call<Out>(this.iam, new ListEntitiesForPolicyCommand({PolicyArn: arn, Marker: marker}), 'iam');
      all.users.push(...(out.PolicyUsers ?? []).map((u) => u.UserName ?? ''));
      all.roles.push(...(out.PolicyRoles ?? []).map((r) => r.RoleName ?? ''));
      all.groups.push(...(out.PolicyGroups ?? []).map((g) => g.GroupName ?? ''));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return all;
  }

  async detachGroupPolicy(group: string, arn: string) {
    await this.call(this.iam, new DetachGroupPolicyCommand({GroupName: group, PolicyArn: arn}), 'iam');
  }

  async getGroup(name: string): Promise<IamGroup | undefined> {
    type Out = {Group?: {Arn?: string}; Users?: {UserName?: string}[]; IsTruncated?: boolean; Marker?: string};
    let group: IamGroup | undefined;
    let marker: string | undefined;
    do {
      const out = await this.find(() => this.call<Out>(this.iam, new GetGroupCommand({GroupName: name, Marker: marker}), 'iam'));
      if (!out?.Group) return undefined;
      group ??= {name, arn: out.Group.Arn ?? '', members: []};
      group.members.push(...(out.Users ?? []).map((u) => u.UserName ?? ''));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return group;
  }

  async createGroup(name: string): Promise<IamGroup> {
    const out = await this.call<{Group?: {Arn?: string}}>(this.iam, new CreateGroupCommand({GroupName: name}), 'iam');
    return {name, arn: out.Group?.Arn ?? '', members: []};
  }

  async deleteGroup(name: string) {
    await this.call(this.iam, new DeleteGroupCommand({GroupName: name}), 'iam');
  }

  async addUserToGroup(group: string, user: string) {
    await this.call(this.iam, new AddUserToGroupCommand({GroupName: group, UserName: user}), 'iam');
  }

  async removeUserFromGroup(group: string, user: string) {
    await this.call(this.iam, new RemoveUserFromGroupCommand({GroupName: group, UserName: user}), 'iam');
  }

  async listGroupsForUser(user: string) {
    const out = await this.find(() => this.call<{Groups?: {GroupName?: string}[]}>(
      this.iam, new ListGroupsForUserCommand({UserName: user}), 'iam'));
    return (out?.Groups ?? []).map((g) => g.GroupName ?? '');
  }

  async listGroupPolicies(group: string) {
    const out = await this.find(() => this.call<{AttachedPolicies?: {PolicyArn?: string}[]}>(
      this.iam, new ListAttachedGroupPoliciesCommand({GroupName: group}), 'iam'));
    return (out?.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
  }

  async attachGroupPolicy(group: string, arn: string) {
    await this.call(this.iam, new AttachGroupPolicyCommand({GroupName: group, PolicyArn: arn}), 'iam');
  }

  async listOidcProviders() {
    const out = await this.call<{OpenIDConnectProviderList?: {Arn?: string}[]}>(this.iam, new ListOpenIDConnectProvidersCommand({}), 'iam');
    return (out.OpenIDConnectProviderList ?? []).map((p) => p.Arn ?? '');
  }

  async getOidcProvider(arn: string): Promise<OidcProvider | undefined> {
    type Out = {Url?: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: Tag[]};
    const out = await this.find(() => this.call<Out>(this.iam, new GetOpenIDConnectProviderCommand({OpenIDConnectProviderArn: arn}), 'iam'));
    if (!out) return undefined;
    return {arn, url: (out.Url ?? '').replace(/^https:\/\//, ''), clientIds: out.ClientIDList ?? [], thumbprints: out.ThumbprintList ?? [], tags: fromTags(out.Tags)};
  }

  async createOidcProvider(url: string, clientIds: string[], thumbprints: string[], tags: Tags): Promise<OidcProvider> {
    const out = await this.call<{OpenIDConnectProviderArn?: string}>(this.iam, new CreateOpenIDConnectProviderCommand({
      Url: `https://${url}`, ClientIDList: clientIds, ThumbprintList: thumbprints, Tags: toTags(tags),
    }), 'iam');
    return {arn: out.OpenIDConnectProviderArn ?? '', url, clientIds, thumbprints, tags};
  }

  async addOidcClientId(arn: string, clientId: string) {
    await this.call(this.iam, new AddClientIDToOpenIDConnectProviderCommand({OpenIDConnectProviderArn: arn, ClientID: clientId}), 'iam');
  }

  async deleteOidcProvider(arn: string) {
    await this.call(this.iam, new DeleteOpenIDConnectProviderCommand({OpenIDConnectProviderArn: arn}), 'iam');
  }

  async listUserPolicies(user: string) {
    const out = await this.find(() => this.call<{AttachedPolicies?: {PolicyArn?: string}[]}>(
      this.iam, new ListAttachedUserPoliciesCommand({UserName: user}), 'iam'));
    return (out?.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
  }

  async attachUserPolicy(user: string, arn: string) {
    await this.call(this.iam, new AttachUserPolicyCommand({UserName: user, PolicyArn: arn}), 'iam');
  }

  async detachUserPolicy(user: string, arn: string) {
    await this.call(this.iam, new DetachUserPolicyCommand({UserName: user, PolicyArn: arn}), 'iam');
  }

  async getRole(name: string): Promise<IamRole | undefined> {
    type Out = {Role?: {Arn?: string; AssumeRolePolicyDocument?: string; Tags?: Tag[]; PermissionsBoundary?: {PermissionsBoundaryArn?: string}}};
    const out = await this.find(() => this.call<Out>(this.iam, new GetRoleCommand({RoleName: name}), 'iam'));
    if (!out?.Role) return undefined;
    const trust = decodeDocument(out.Role.AssumeRolePolicyDocument ?? '{"Statement":[]}');
    const boundary = out.Role.PermissionsBoundary?.PermissionsBoundaryArn;
    return {name, arn: out.Role.Arn ?? '', trust, tags: fromTags(out.Role.Tags), ...(boundary ? {permissionsBoundary: boundary} : {})};
  }

  async createRole(name: string, trust: PolicyDocument, description: string, tags: Tags, permissionsBoundary?: string) {
    const out = await this.call<{Role?: {Arn?: string}}>(this.iam, new CreateRoleCommand({
      RoleName: name, AssumeRolePolicyDocument: serializePolicy(trust), Description: description, Tags: toTags(tags),
      PermissionsBoundary: permissionsBoundary,
    }), 'iam');
    return {name, arn: out.Role?.Arn ?? '', trust, tags, ...(permissionsBoundary ? {permissionsBoundary} : {})};
  }

  async putRolePermissionsBoundary(name: string, arn: string) {
    await this.call(this.iam, new PutRolePermissionsBoundaryCommand({RoleName: name, PermissionsBoundary: arn}), 'iam');
  }

  async tagRole(name: string, tags: Tags) {
    await this.call(this.iam, new TagRoleCommand({RoleName: name, Tags: toTags(tags)}), 'iam');
  }

  async updateTrust(name: string, trust: PolicyDocument) {
    await this.call(this.iam, new UpdateAssumeRolePolicyCommand({RoleName: name, PolicyDocument: serializePolicy(trust)}), 'iam');
  }

  async deleteRole(name: string) {
    await this.call(this.iam, new DeleteRoleCommand({RoleName: name}), 'iam');
  }

  async listRolePolicies(role: string) {
    const out = await this.find(() => this.call<{AttachedPolicies?: {PolicyArn?: string}[]}>(
      this.iam, new ListAttachedRolePoliciesCommand({RoleName: role}), 'iam'));
    return (out?.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
  }

  async attachRolePolicy(role: string, arn: string) {
    await this.call(this.iam, new AttachRolePolicyCommand({RoleName: role, PolicyArn: arn}), 'iam');
  }

  async detachRolePolicy(role: string, arn: string) {
    await this.call(this.iam, new DetachRolePolicyCommand({RoleName: role, PolicyArn: arn}), 'iam');
  }

  async bucketOwnership(bucket: string): Promise<BucketOwnership> {
    try {
      const out = await this.call<{BucketRegion?: string}>(this.s3, new HeadBucketCommand({Bucket: bucket}), 's3');
      // A 200 names the bucket's region too (moto answers so where S3 would redirect).
      if (out?.BucketRegion && out.BucketRegion !== this.config.region) return {elsewhere: out.BucketRegion};
      return 'ours';
    } catch (err) {
      const cause = (err as AwsError).cause as {$metadata?: {httpStatusCode?: number}; $response?: {headers?: Record<string, string | undefined>}};
      const status = cause?.$metadata?.httpStatusCode;
      if (status === 404) return 'free';
      if (status === 403) return this.ownerOfForbiddenBucket(bucket);
      // 301: the bucket exists in another region. The SDK throws a bare "UnknownError"
      // and keeps the region only on the raw response's x-amz-bucket-region header.
      if (status === 301) return {elsewhere: cause?.$response?.headers?.['x-amz-bucket-region'] || 'another region'};
      throw err;
    }
  }

  /**
   * HeadBucket answers 403 both for another account's bucket and for one of
   * this account's that the admin may not read (an admin without S3 rights):
   * only this account's own bucket list tells them apart. Without that list
   * the owner is 'unknown', and the name is kept.
   */
  private async ownerOfForbiddenBucket(bucket: string): Promise<BucketOwnership> {
    try {
      return (await this.ownBucketsNamed(bucket)) ? 'ours' : 'taken';
    } catch {
      return 'unknown';
    }
  }

  /** Whether this account's bucket list (s3:ListAllMyBuckets) holds the bucket. */
  private async ownBucketsNamed(bucket: string): Promise<boolean> {
    type Out = {Buckets?: {Name?: string}[]; ContinuationToken?: string};
    let token: string | undefined;
    do {
      // Prefix keeps the answer short; the exact name is compared here (emulators may ignore Prefix).
      const out = await this.call<Out>(this.s3, new ListBucketsCommand({Prefix: bucket, ContinuationToken: token}), 's3');
      if ((out.Buckets ?? []).some((b) => b.Name === bucket)) return true;
      token = out.ContinuationToken;
    } while (token);
    return false;
  }

  destroy(): void {
    this.iam.destroy();
    this.sts.destroy();
    this.s3.destroy();
  }
}
