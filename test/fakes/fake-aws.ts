/** In-memory AwsPort following fake-aws.md. */
import {AwsError} from '../../src/aws/aws-error.js';
import type {AccessKeyInfo, AwsPort, BucketOwnership, IamGroup, IamRole, KeyLastUsed, ManagedPolicy, OidcProvider, Tags} from '../../src/aws/port.js';
import {decodeDocument, type PolicyDocument} from '../../src/plan/policy.js';

const ACCOUNT = '123456789012';
const READS = /^(get|list|key|identity|bucket)/;

interface Key extends AccessKeyInfo { user: string; secret: string }
interface Policy { name: string; tags: Tags; versions: {id: string; doc: string; created: Date}[]; defaultId: string; next: number }

export class FakeAws implements AwsPort {
  users = new Map<string, {tags: Tags; policies: Set<string>; boundary?: string}>();
  groups = new Map<string, {members: Set<string>; policies: Set<string>}>();
  oidc = new Map<string, Omit<OidcProvider, 'arn'>>();
  keys: Key[] = [];
  policies = new Map<string, Policy>();
  roles = new Map<string, {trust: string; tags: Tags; policies: Set<string>; boundary?: string}>();
  /** Bucket name → what HeadBucket tells: 'ours', 'taken', or {elsewhere: 'eu-west-1'} for a bucket in another region (301). */
  buckets = new Map<string, BucketOwnership>();
  /** Key ID → what GetAccessKeyLastUsed tells (default: never used). */
  lastUsed = new Map<string, KeyLastUsed>();
  calls: {name: string; write: boolean}[] = [];
  private failures = new Set<string>();
  private counter = 0;

  failOn(name: string): void {
    this.failures.add(name);
  }

  writes(): string[] {
    return this.calls.filter((c) => c.write).map((c) => c.name);
  }

  private record(name: string): void {
    this.calls.push({name, write: !READS.test(name)});
    if (this.failures.delete(name)) throw new AwsError('Other', 'ServiceFailure', `iam:${name}`, 'injected failure');
  }

  private fail(kind: AwsError['kind'], code: string, name: string, message: string): never {
    throw new AwsError(kind, code, `iam:${name}`, message);
  }

  private policyOf(arn: string, name: string): Policy {
    return this.policies.get(arn) ?? this.fail('NotFound', 'NoSuchEntity', name, `policy ${arn} not found`);
  }

  async getCallerIdentity() {
    this.record('getCallerIdentity');
    return {account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/admin`, partition: 'aws'};
  }

  async identityOfKey(key: {id: string; secret: string}) {
    this.record('identityOfKey');
    const k = this.keys.find((x) => x.id === key.id);
    if (!k || k.secret !== key.secret || k.status !== 'Active') this.fail('InvalidCredentials', 'InvalidClientTokenId', 'identityOfKey', 'bad key');
    return {account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/${k!.user}`, partition: 'aws'};
  }

  async getUser(name: string) {
    this.record('getUser');
    const u = this.users.get(name);
    return u ? {name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, tags: u.tags, ...(u.boundary ? {permissionsBoundary: u.boundary} : {})} : undefined;
  }

  async createUser(name: string, tags: Tags, boundary?: string) {
    this.record('createUser');
    if (this.users.has(name)) this.fail('AlreadyExists', 'EntityAlreadyExists', 'createUser', 'exists');
    this.users.set(name, {tags, policies: new Set(), ...(boundary ? {boundary} : {})});
    return {name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, tags, ...(boundary ? {permissionsBoundary: boundary} : {})};
  }

  async putUserPermissionsBoundary(name: string, arn: string) {
    this.record('putUserPermissionsBoundary');
    (this.users.get(name) ?? this.fail('NotFound', 'NoSuchEntity', 'putUserPermissionsBoundary', 'no user')).boundary = arn;
  }

  /** The fake's profiles: a profile name → the role ARN it assumes (what identityOfProfile answers). */
  profileRoles = new Map<string, string>();

  async identityOfProfile(profile: string) {
    this.record('identityOfProfile');
    const roleArn = this.profileRoles.get(profile) ?? this.fail('InvalidCredentials', 'InvalidClientTokenId', 'identityOfProfile', 'no such profile');
    const name = roleArn.split('/').pop() ?? '';
    if (!this.roles.has(name)) this.fail('AccessDenied', 'AccessDenied', 'identityOfProfile', 'role missing');
    return {account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session`, partition: 'aws'};
  }

  private groupOf(name: string, call: string) {
    return this.groups.get(name) ?? this.fail('NotFound', 'NoSuchEntity', call, `group ${name} not found`);
  }

  async getGroup(name: string): Promise<IamGroup | undefined> {
    this.record('getGroup');
    const g = this.groups.get(name);
    return g ? {name, arn: `arn:aws:iam::${ACCOUNT}:group/${name}`, members: [...g.members]} : undefined;
  }

  async createGroup(name: string): Promise<IamGroup> {
    this.record('createGroup');
    if (this.groups.has(name)) this.fail('AlreadyExists', 'EntityAlreadyExists', 'createGroup', 'exists');
    this.groups.set(name, {members: new Set(), policies: new Set()});
    return {name, arn: `arn:aws:iam::${ACCOUNT}:group/${name}`, members: []};
  }

  async deleteGroup(name: string) {
    this.record('deleteGroup');
    const g = this.groupOf(name, 'deleteGroup');
    if (g.members.size || g.policies.size) this.fail('Conflict', 'DeleteConflict', 'deleteGroup', 'in use');
    this.groups.delete(name);
  }

  async addUserToGroup(group: string, user: string) {
    this.record('addUserToGroup');
    if (!this.users.has(user)) this.fail('NotFound', 'NoSuchEntity', 'addUserToGroup', 'no user');
    this.groupOf(group, 'addUserToGroup').members.add(user);
  }

  async removeUserFromGroup(group: string, user: string) {
    this.record('removeUserFromGroup');
    this.groupOf(group, 'removeUserFromGroup').members.delete(user);
  }

  async listGroupsForUser(user: string) {
    this.record('listGroupsForUser');
    return [...this.groups].filter(([, g]) => g.members.has(user)).map(([name]) => name);
  }

  async listGroupPolicies(group: string) {
    this.record('listGroupPolicies');
    return [...(this.groups.get(group)?.policies ?? [])];
  }

  async attachGroupPolicy(group: string, arn: string) {
    this.record('attachGroupPolicy');
    this.policyOf(arn, 'attachGroupPolicy');
    this.groupOf(group, 'attachGroupPolicy').policies.add(arn);
  }

  async listOidcProviders() {
    this.record('listOidcProviders');
    return [...this.oidc.keys()];
  }

  async getOidcProvider(arn: string): Promise<OidcProvider | undefined> {
    this.record('getOidcProvider');
    const p = this.oidc.get(arn);
    return p ? {arn, ...p, clientIds: [...p.clientIds]} : undefined;
  }

  async createOidcProvider(url: string, clientIds: string[], thumbprints: string[], tags: Tags): Promise<OidcProvider> {
    this.record('createOidcProvider');
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${url}`;
    if (this.oidc.has(arn)) this.fail('AlreadyExists', 'EntityAlreadyExists', 'createOidcProvider', 'exists');
    this.oidc.set(arn, {url, clientIds: [...clientIds], thumbprints: [...thumbprints], tags});
    return {arn, url, clientIds, thumbprints, tags};
  }

  async addOidcClientId(arn: string, clientId: string) {
    this.record('addOidcClientId');
    const p = this.oidc.get(arn) ?? this.fail('NotFound', 'NoSuchEntity', 'addOidcClientId', 'no provider');
    if (!p.clientIds.includes(clientId)) p.clientIds.push(clientId);
  }

  async deleteOidcProvider(arn: string) {
    this.record('deleteOidcProvider');
    this.oidc.delete(arn);
  }

  async deleteUser(name: string) {
    this.record('deleteUser');
    const u = this.users.get(name) ?? this.fail('NotFound', 'NoSuchEntity', 'deleteUser', 'no user');
    if (u.policies.size || this.keys.some((k) => k.user === name)) this.fail('Conflict', 'DeleteConflict', 'deleteUser', 'in use');
    this.users.delete(name);
  }

  async tagUser(name: string, tags: Tags) {
    this.record('tagUser');
    const u = this.users.get(name) ?? this.fail('NotFound', 'NoSuchEntity', 'tagUser', 'no user');
    u.tags = {...u.tags, ...tags};
  }

  async listAccessKeys(user: string) {
    this.record('listAccessKeys');
    return this.keys.filter((k) => k.user === user).map(({id, status, created}) => ({id, status, created}));
  }

  async keyLastUsed(id: string) {
    this.record('keyLastUsed');
    if (!this.keys.some((k) => k.id === id)) this.fail('NotFound', 'NoSuchEntity', 'keyLastUsed', 'no key');
    return this.lastUsed.get(id) ?? {};
  }

  async createAccessKey(user: string) {
    this.record('createAccessKey');
    if (!this.users.has(user)) this.fail('NotFound', 'NoSuchEntity', 'createAccessKey', 'no user');
    if (this.keys.filter((k) => k.user === user).length >= 2) this.fail('LimitExceeded', 'LimitExceeded', 'createAccessKey', 'Cannot exceed quota for AccessKeysPerUser: 2');
    const id = `AKIAFAKE${String(++this.counter).padStart(12, '0')}`;
    const secret = `fake-secret-${this.counter}`;
    this.keys.push({id, secret, user, status: 'Active', created: new Date(2026, 0, this.counter)});
    return {id, secret};
  }

  async updateAccessKey(user: string, id: string, status: 'Active' | 'Inactive') {
    this.record('updateAccessKey');
    const k = this.keys.find((x) => x.id === id && x.user === user) ?? this.fail('NotFound', 'NoSuchEntity', 'updateAccessKey', 'no key');
    k.status = status;
  }

  async deleteAccessKey(user: string, id: string) {
    this.record('deleteAccessKey');
    const before = this.keys.length;
    this.keys = this.keys.filter((k) => !(k.id === id && k.user === user));
    if (this.keys.length === before) this.fail('NotFound', 'NoSuchEntity', 'deleteAccessKey', 'no key');
  }

  async getPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    this.record('getPolicy');
    const p = this.policies.get(arn);
    return p ? {arn, defaultVersionId: p.defaultId, tags: p.tags} : undefined;
  }

  async getPolicyDocument(arn: string, versionId: string) {
    this.record('getPolicyDocument');
    const v = this.policyOf(arn, 'getPolicyDocument').versions.find((x) => x.id === versionId);
    return decodeDocument(encodeURIComponent(v?.doc ?? '{}'));
  }

  async listPolicyVersions(arn: string) {
    this.record('listPolicyVersions');
    const p = this.policyOf(arn, 'listPolicyVersions');
    return p.versions.map((v) => ({id: v.id, isDefault: v.id === p.defaultId, created: v.created}));
  }

  async createPolicy(name: string, doc: PolicyDocument, _d: string, tags: Tags) {
    this.record('createPolicy');
    const arn = `arn:aws:iam::${ACCOUNT}:policy/${name}`;
    if (this.policies.has(arn)) this.fail('AlreadyExists', 'EntityAlreadyExists', 'createPolicy', 'exists');
    this.policies.set(arn, {name, tags, versions: [{id: 'v1', doc: JSON.stringify(doc), created: new Date()}], defaultId: 'v1', next: 2});
    return {arn, defaultVersionId: 'v1', tags};
  }

  async createPolicyVersion(arn: string, doc: PolicyDocument) {
    this.record('createPolicyVersion');
    const p = this.policyOf(arn, 'createPolicyVersion');
    if (p.versions.length >= 5) this.fail('LimitExceeded', 'LimitExceeded', 'createPolicyVersion', 'A managed policy can have up to 5 versions');
    const id = `v${p.next++}`;
    p.versions.push({id, doc: JSON.stringify(doc), created: new Date(Date.now() + p.next)});
    p.defaultId = id;
  }

  async tagPolicy(arn: string, tags: Tags) {
    this.record('tagPolicy');
    const p = this.policyOf(arn, 'tagPolicy');
    p.tags = {...p.tags, ...tags};
  }

  async deletePolicyVersion(arn: string, versionId: string) {
    this.record('deletePolicyVersion');
    const p = this.policyOf(arn, 'deletePolicyVersion');
    if (p.defaultId === versionId) this.fail('Conflict', 'DeleteConflict', 'deletePolicyVersion', 'Cannot delete the default version');
    p.versions = p.versions.filter((v) => v.id !== versionId);
  }

  async deletePolicy(arn: string) {
    this.record('deletePolicy');
    this.policyOf(arn, 'deletePolicy');
    this.policies.delete(arn);
  }

  async listEntitiesForPolicy(arn: string) {
    this.record('listEntitiesForPolicy');
    const attachedTo = (m: Map<string, {policies: Set<string>}>) => [...m].filter(([, v]) => v.policies.has(arn)).map(([k]) => k);
    return {users: attachedTo(this.users), roles: attachedTo(this.roles), groups: attachedTo(this.groups)};
  }

  async detachGroupPolicy(group: string, arn: string) {
    this.record('detachGroupPolicy');
    this.groups.get(group)?.policies.delete(arn);
  }

  async listUserPolicies(user: string) {
    this.record('listUserPolicies');
    return [...(this.users.get(user)?.policies ?? [])];
  }

  async attachUserPolicy(user: string, arn: string) {
    this.record('attachUserPolicy');
    this.policyOf(arn, 'attachUserPolicy');
    (this.users.get(user) ?? this.fail('NotFound', 'NoSuchEntity', 'attachUserPolicy', 'no user')).policies.add(arn);
  }

  async detachUserPolicy(user: string, arn: string) {
    this.record('detachUserPolicy');
    this.users.get(user)?.policies.delete(arn);
  }

  async getRole(name: string): Promise<IamRole | undefined> {
    this.record('getRole');
    const r = this.roles.get(name);
    if (!r) return undefined;
    const boundary = r.boundary ? {permissionsBoundary: r.boundary} : {};
    return {name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, trust: decodeDocument(encodeURIComponent(r.trust)), tags: r.tags, ...boundary};
  }

  async createRole(name: string, trust: PolicyDocument, _d: string, tags: Tags, boundary?: string) {
    this.record('createRole');
    if (this.roles.has(name)) this.fail('AlreadyExists', 'EntityAlreadyExists', 'createRole', 'exists');
    this.roles.set(name, {trust: JSON.stringify(trust), tags, policies: new Set(), ...(boundary ? {boundary} : {})});
    return {name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, trust, tags, ...(boundary ? {permissionsBoundary: boundary} : {})};
  }

  async putRolePermissionsBoundary(name: string, arn: string) {
    this.record('putRolePermissionsBoundary');
    (this.roles.get(name) ?? this.fail('NotFound', 'NoSuchEntity', 'putRolePermissionsBoundary', 'no role')).boundary = arn;
  }

  async tagRole(name: string, tags: Tags) {
    this.record('tagRole');
    const r = this.roles.get(name) ?? this.fail('NotFound', 'NoSuchEntity', 'tagRole', 'no role');
    r.tags = {...r.tags, ...tags};
  }

  async updateTrust(name: string, trust: PolicyDocument) {
    this.record('updateTrust');
    (this.roles.get(name) ?? this.fail('NotFound', 'NoSuchEntity', 'updateTrust', 'no role')).trust = JSON.stringify(trust);
  }

  async deleteRole(name: string) {
    this.record('deleteRole');
    this.roles.delete(name);
  }

  async listRolePolicies(role: string) {
    this.record('listRolePolicies');
    return [...(this.roles.get(role)?.policies ?? [])];
  }

  async attachRolePolicy(role: string, arn: string) {
    this.record('attachRolePolicy');
    this.policyOf(arn, 'attachRolePolicy');
    (this.roles.get(role) ?? this.fail('NotFound', 'NoSuchEntity', 'attachRolePolicy', 'no role')).policies.add(arn);
  }

  async detachRolePolicy(role: string, arn: string) {
    this.record('detachRolePolicy');
    this.roles.get(role)?.policies.delete(arn);
  }

  async bucketOwnership(bucket: string) {
    this.record('bucketOwnership');
    return this.buckets.get(bucket) ?? 'free';
  }
}
