/**
 * Policy documents as IAM stores them: compared as parsed JSON, never as text.
 * IAM returns documents URL-encoded (RFC 3986) from GetRole and
 * GetPolicyVersion; moto returns GetPolicyVersion raw. decodeDocument copes
 * with both.
 */

export type PolicyDocument = {Version?: string; Statement: Statement[] | Statement; [k: string]: unknown};
export type Statement = {[k: string]: unknown};

export function decodeDocument(raw: string): PolicyDocument {
  const text = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw);
  return JSON.parse(text) as PolicyDocument;
}

/**
 * A canonical form: statements as an array, every string-or-list field as a
 * sorted list, object keys sorted. Two documents IAM treats the same way give
 * the same canonical JSON.
 */
export function canonicalize(value: unknown, key = ''): unknown {
  if (LIST_FIELDS.has(key) && !Array.isArray(value) && value !== undefined) return canonicalize([value]);
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalize(v));
    // Statement order matters to people reading it, not to IAM.
    return items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonicalize((value as Record<string, unknown>)[k], k);
    return out;
  }
  return value;
}

/** Fields where IAM treats "x" and ["x"] alike. */
const LIST_FIELDS = new Set(['Statement', 'Action', 'NotAction', 'Resource', 'NotResource', 'Service', 'AWS', 'Federated']);

export function samePolicy(a: PolicyDocument, b: PolicyDocument): boolean {
  return JSON.stringify(canonicalize(a)) === JSON.stringify(canonicalize(b));
}

/** Fills the setup document's placeholders. */
export function renderTemplate(template: string, values: {accountId: string; partition: string}): PolicyDocument {
  const text = template.replaceAll('<ACCOUNT_ID>', values.accountId).replaceAll('<PARTITION>', values.partition);
  return JSON.parse(text) as PolicyDocument;
}

/** Every action granted by Allow statements, for explaining and linting. */
export function allowedActions(doc: PolicyDocument): string[] {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .filter((a): a is string => typeof a === 'string');
}

/** Compact JSON for IAM's API (its size limit counts non-whitespace characters). */
export function serializePolicy(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** Placeholders the setup document asks people to fill in by hand, e.g. `<ACCOUNT_ID>`. */
export function placeholdersIn(doc: PolicyDocument): string[] {
  return [...new Set(JSON.stringify(doc).match(/<[A-Z][A-Z_]*>/g) ?? [])];
}
