/**
 * What doctor reports: findings (something is wrong, where, and the command
 * that fixes it) and checks it could not make (and why). Plain data, so each
 * group of checks is a pure function from facts to these.
 */

export interface Finding {
  /** Stable kebab-case id, e.g. `config-section-unprefixed`; scripts may match on it. */
  id: string;
  /** The file (with section or stage) or the AWS resource the finding is about. */
  where: string;
  /** What is wrong, in one sentence. */
  problem: string;
  /** The command (or edit) that fixes it. */
  fix: string;
  /** A warning (!) works but deserves a look; without this the finding is a problem (✖, exit 1). */
  severity?: 'warning';
}

/** Findings that make doctor exit 1. */
export const problemsOf = (findings: Finding[]): Finding[] => findings.filter((f) => f.severity !== 'warning');

export interface NotChecked {
  /** What could not be checked, e.g. `IAM user serverless`. */
  check: string;
  /** Why, e.g. "no usable AWS admin credentials were found". */
  reason: string;
}

/** The outcome of one group of checks. */
export interface CheckResult {
  findings: Finding[];
  notChecked: NotChecked[];
}

/** A value read from AWS, or the reason it could not be read. */
export type Read<T> = {ok: true; value: T} | {ok: false; reason: string};

export const readOk = <T>(value: T): Read<T> => ({ok: true, value});
export const readFailed = <T>(reason: string): Read<T> => ({ok: false, reason});

/** Collects findings and skipped checks while a group runs. */
export class Collector implements CheckResult {
  readonly findings: Finding[] = [];
  readonly notChecked: NotChecked[] = [];

  add(finding: Finding): void {
    this.findings.push(finding);
  }

  skip(check: string, reason: string): void {
    this.notChecked.push({check, reason});
  }

  /** The value of a read, or undefined after noting why `check` was not made. */
  value<T>(read: Read<T> | undefined, check: string): T | undefined {
    if (!read) return undefined;
    if (read.ok) return read.value;
    this.skip(check, read.reason);
    return undefined;
  }
}

export function merge(results: CheckResult[]): CheckResult {
  return {findings: results.flatMap((r) => r.findings), notChecked: results.flatMap((r) => r.notChecked)};
}
