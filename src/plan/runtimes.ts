/**
 * Lambda's Python runtimes and where each stands on a given day. AWS deprecates
 * a runtime in stages: on the deprecation date it stops getting security fixes,
 * on the "block function create" date new functions can no longer use it, and
 * on the "block function update" date existing ones can no longer be updated
 * with it (invocations keep working). Zappa deploys with CreateFunction and
 * updates with UpdateFunctionCode/Configuration, so each stage matters.
 *
 * Dates: AWS's table at https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * (and the Python table at .../lambda/latest/dg/lambda-python.html), read on
 * 2026-12-01. The stored copy of lambda-python.html gave python3.10 … python3.14;
 * the lambda-runtimes.html tables themselves could not be read whole, so the
 * deprecated rows (python3.7 … python3.9) and the later python3.10 block dates
 * come from two machine copies of that same page: endoflife-date/release-data
 * releases/aws-lambda.json (scraped from it, last changed 2026-08-15: deprecation
 * and block-update dates) and cfn-lint's LmbdRuntimeLifecycle.json (PR #4532,
 * 2026-06-02, "match current AWS documentation": all three dates). Where they
 * differ from older copies, the newest wins: AWS moved the block dates of
 * python3.7–3.10 to 2027-02-01 / 2027-03-03 in May 2026. Every date of
 * python3.7 … python3.14 is published; a runtime without a date would leave it
 * undefined. The August 2026 table also lists python3.15 with no dates yet;
 * it is left out until AWS dates it (it reads as 'unknown').
 * AWS moves these dates; update the table when the page changes.
 */

/** Calendar days (UTC), YYYY-MM-DD; undefined where AWS publishes no date. */
export interface RuntimeLifecycle {
  deprecatedOn?: string;
  createBlockedOn?: string;
  updateBlockedOn?: string;
}

/** Oldest first. */
export const PYTHON_RUNTIME_LIFECYCLE: Readonly<Record<string, RuntimeLifecycle>> = {
  'python3.7': {deprecatedOn: '2023-12-04', createBlockedOn: '2024-01-09', updateBlockedOn: '2027-03-03'},
  'python3.8': {deprecatedOn: '2024-10-14', createBlockedOn: '2027-02-01', updateBlockedOn: '2027-03-03'},
  'python3.9': {deprecatedOn: '2025-12-15', createBlockedOn: '2027-02-01', updateBlockedOn: '2027-03-03'},
  'python3.10': {deprecatedOn: '2026-10-31', createBlockedOn: '2027-02-01', updateBlockedOn: '2027-03-03'},
  'python3.11': {deprecatedOn: '2027-06-30', createBlockedOn: '2027-07-31', updateBlockedOn: '2027-08-31'},
  'python3.12': {deprecatedOn: '2028-10-31', createBlockedOn: '2028-11-30', updateBlockedOn: '2029-01-10'},
  'python3.13': {deprecatedOn: '2029-06-30', createBlockedOn: '2029-07-31', updateBlockedOn: '2029-08-31'},
  'python3.14': {deprecatedOn: '2029-06-30', createBlockedOn: '2029-07-31', updateBlockedOn: '2029-08-31'},
};

export type RuntimeState = 'supported' | 'deprecated' | 'create-blocked' | 'update-blocked' | 'unknown';
export interface RuntimeStatus extends RuntimeLifecycle { state: RuntimeState }

const KNOWN = Object.keys(PYTHON_RUNTIME_LIFECYCLE);
const dayOf = (today: Date): string => today.toISOString().slice(0, 10);
const reached = (date: string | undefined, day: string): boolean => date !== undefined && day >= date;

/** Where the runtime stands on `today` (UTC), with the dates AWS publishes for it. */
export function runtimeStatus(runtime: string, today: Date): RuntimeStatus {
  const dates = PYTHON_RUNTIME_LIFECYCLE[runtime];
  if (!dates) return {state: 'unknown'};
  const day = dayOf(today);
  const state: RuntimeState = reached(dates.updateBlockedOn, day) ? 'update-blocked'
    : reached(dates.createBlockedOn, day) ? 'create-blocked'
      : reached(dates.deprecatedOn, day) ? 'deprecated'
        : 'supported';
  return {state, ...dates};
}

/** The runtimes Lambda fully supports on `today`, oldest first. */
export function SUPPORTED_PYTHON_RUNTIMES(today: Date = new Date()): string[] {
  return KNOWN.filter((r) => runtimeStatus(r, today).state === 'supported');
}

/** True only while Lambda fully supports the runtime (not once it is deprecated). */
export function isSupportedRuntime(runtime: string, today: Date = new Date()): boolean {
  return runtimeStatus(runtime, today).state === 'supported';
}

const minorOf = (r: string): number => Number(/^python3\.(\d+)$/.exec(r)?.[1] ?? NaN);

/**
 * The oldest runtime still supported on `today` at or above the given one: the
 * smallest step up. An unreadable name gets the oldest supported one; a name
 * above every supported one gets the newest.
 */
export function suggestRuntime(runtime: string, today: Date = new Date()): string {
  const supported = SUPPORTED_PYTHON_RUNTIMES(today);
  const wanted = minorOf(runtime);
  const atOrAbove = supported.find((r) => Number.isNaN(wanted) || minorOf(r) >= wanted);
  return atOrAbove ?? supported.at(-1) ?? KNOWN.at(-1)!;
}

/** One plain sentence on what is wrong with the runtime on `today` and the fix, or undefined when Lambda supports it. */
export function runtimeProblem(runtime: string, today: Date): string | undefined {
  const standing = runtimeStanding(runtime, today);
  return standing && `${standing}; change it to ${suggestRuntime(runtime, today)} or newer.`;
}

/**
 * What is wrong with the runtime on `today`, without the fix (for reports that
 * give the fix apart), or undefined when Lambda supports it.
 */
export function runtimeStanding(runtime: string, today: Date): string | undefined {
  const status = runtimeStatus(runtime, today);
  if (status.state === 'supported') return undefined;
  const day = dayOf(today);
  if (status.state === 'unknown') {
    const supported = SUPPORTED_PYTHON_RUNTIMES(today);
    const range = supported.length ? `${supported[0]} to ${supported.at(-1)}` : 'none of the Python runtimes this wizard knows';
    return `runtime ${runtime} is not one of the Python runtimes Lambda supports (on ${day}: ${range})`;
  }
  const when = (date: string) => (day >= date ? `since ${date}` : `from ${date}`);
  const ended = status.deprecatedOn ? `runtime ${runtime} reached the end of Lambda support on ${status.deprecatedOn}` : `runtime ${runtime} is no longer supported by Lambda`;
  const {createBlockedOn: create, updateBlockedOn: update} = status;
  let blocks: string;
  if (status.state === 'update-blocked') {
    blocks = `Lambda has refused to create or update functions with it ${when(update!)}`;
  } else if (create && update) {
    blocks = `new functions can't be created with it ${when(create)}, and existing ones can't be updated with it ${when(update)}`;
  } else if (create) {
    blocks = `new functions can't be created with it ${when(create)}`;
  } else if (update) {
    blocks = `existing functions can't be updated with it ${when(update)}`;
  } else {
    blocks = 'it gets no more security fixes, and AWS has not yet said when it will stop accepting it';
  }
  return `${ended}: ${blocks}`;
}
