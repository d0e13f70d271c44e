/** How the deploy identity is named in headers and summaries: "IAM user serverless", "deploy role serverless"… */
import type {DesiredState} from '../plan/types.js';

export function deployIdentityPhrase(d: Pick<DesiredState, 'deployIdentity' | 'userName'>): string {
  const id = d.deployIdentity;
  switch (id.kind) {
    case 'user': return `IAM user ${d.userName}`;
    case 'group': return `IAM user ${d.userName} (group ${id.group})`;
    case 'role': return `deploy role ${id.roleName}`;
    case 'ci': return `GitHub Actions role ${id.roleName}`;
  }
}
