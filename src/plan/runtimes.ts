/**
 * Python runtimes AWS Lambda accepts for new and updated functions
 * (as of late 2026; python3.9 and older are deprecated). Zappa deploys
 * fail with InvalidParameterValueException on anything else.
 */
export const SUPPORTED_PYTHON_RUNTIMES = ['python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14'] as const;

export function isSupportedRuntime(runtime: string): boolean {
  return (SUPPORTED_PYTHON_RUNTIMES as readonly string[]).includes(runtime);
}

/** The oldest supported runtime newer than the given one: the smallest step up. */
export function suggestRuntime(runtime: string): string {
  const minor = (r: string) => Number(/^python3\.(\d+)$/.exec(r)?.[1] ?? NaN);
  const wanted = minor(runtime);
  return SUPPORTED_PYTHON_RUNTIMES.find((r) => !(minor(r) < wanted)) ?? 'python3.12';
}
