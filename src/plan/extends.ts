/**
 * `extends` as the Zappa CLI computes it: a stage's settings are its
 * parent's (recursively), with the stage's own keys over them. The merge is
 * shallow, as in Zappa (a stage's `environment_variables` replaces its
 * parent's whole). Pure.
 */

type Stages = Record<string, Record<string, unknown>>;

/** A chain Zappa refuses to follow: a cycle, a missing parent, or an `extends` that is not a stage name. */
export class ExtendsError extends Error {
  override name = 'ExtendsError';
}

/**
 * The stage of that name, if the file has it: own keys only, so that names
 * such as "constructor" or "toString" are not found on Object.prototype.
 */
export function stageOf(all: Stages, name: string): Record<string, unknown> | undefined {
  return Object.hasOwn(all, name) ? all[name] : undefined;
}

/** The stage, then its parent, grandparent…; throws ExtendsError where Zappa would stop. */
export function extendsChain(all: Stages, stage: string): string[] {
  const chain: string[] = [];
  for (let current: string | undefined = stage; current !== undefined;) {
    if (chain.includes(current)) throw new ExtendsError(`${describeChain([...chain, current])}: a cycle, which Zappa refuses`);
    chain.push(current);
    const own = stageOf(all, current);
    if (!own) throw new ExtendsError(`${describeChain(chain)}, which the file does not have`);
    const next: unknown = own.extends;
    if (next !== undefined && next !== null && (typeof next !== 'string' || next === '')) {
      throw new ExtendsError(`stage "${current}" has extends ${JSON.stringify(next)}, which is not a stage name`);
    }
    current = typeof next === 'string' ? next : undefined;
  }
  return chain;
}

function describeChain(chain: string[]): string {
  const [first, ...rest] = chain;
  return `stage "${first}"${rest.map((s) => ` extends "${s}"`).join(',')}`;
}

/** The chain as far as it resolves: for code that must not throw (the checks after validation). */
export function lenientChain(all: Stages, stage: string): string[] {
  const chain: string[] = [];
  for (let current: string | undefined = stage; current && stageOf(all, current) && !chain.includes(current);) {
    chain.push(current);
    const next: unknown = stageOf(all, current)!.extends;
    current = typeof next === 'string' ? next : undefined;
  }
  return chain;
}

/** Zappa's effective settings of the stage: nearer stages win. */
export function effectiveSettings(all: Stages, stage: string): Record<string, unknown> {
  return Object.assign({}, ...lenientChain(all, stage).reverse().map((s) => all[s]));
}

/** The ancestor the stage's value of `key` comes from, or undefined when it is the stage's own (or unset). */
export function inheritedFrom(all: Stages, stage: string, key: string): string | undefined {
  const [own, ...ancestors] = lenientChain(all, stage);
  if (own === undefined || Object.hasOwn(all[own]!, key)) return undefined;
  return ancestors.find((s) => Object.hasOwn(all[s]!, key));
}
