/**
 * `doctor`: read-only diagnosis of the files and the AWS setup. Makes no
 * write call, to AWS or to any file. Exit 0 when nothing is wrong, 1 when it
 * found something (each finding with its fix), 2 on bad usage.
 */
import type {Options} from '../args.js';
import {EXIT} from '../errors.js';
import {validateProfileName} from '../plan/names.js';
import {chooseProfile, diagnose, type Diagnosis} from '../lifecycle/doctor/diagnose.js';
import {effectivePolicies, rolePolicyDocuments} from '../policy/effective.js';
import {proveRole, uncheckedRole, type RoleProof} from '../policy/role-proof.js';
import {proofVerdict} from '../policy/verdict.js';
import {provePermissions, type Proof} from '../policy/proof.js';
import {proofLines} from '../policy/proof-text.js';
import {problemsOf, type Finding, type NotChecked} from '../lifecycle/doctor/finding.js';
import {renderDiagnosis} from '../lifecycle/doctor/render.js';
import {describeError, identityError} from './describe-error.js';
import {printJson, type Report} from './report.js';
import {desiredFor, openSession, type Session} from './session.js';
import {accountOfArn} from '../plan/names.js';
import {zappaTargetOf, type ZappaTarget} from '../policy/target.js';

/** The --json report of doctor: the common fields plus findings. */
export interface DoctorReport extends Report {
  command: 'doctor';
  profile: string;
  user: string;
  findings: Finding[];
  notChecked: NotChecked[];
  /** The permission proof's problems (✖): Zappa would be refused these. */
  problems?: string[];
}

/**
 * What the user's attached policies let Zappa do, evaluated offline (reads
 * only). Needs admin credentials to read the policies; skipped otherwise.
 */
async function proveInIam(session: Session, d: Diagnosis): Promise<Proof | undefined> {
  const identity = await session.reads.identity().catch(() => undefined);
  if (!identity || !(await session.reads.user(d.userName).catch(() => undefined))) return undefined;
  const target = zappaTargetOf({...session.resolution.answers, roleName: d.roleName, account: identity.account, partition: identity.partition}, session.files.settings());
  const [{policies, unreadable}, role] = await Promise.all([effectivePolicies(session.reads, d.userName), roleInIam(session, target, identity.account)]);
  return provePermissions({policies, unreadable, target, userName: d.userName, role});
}

/** The execution role as IAM holds it: its trust and every managed policy attached to it. */
async function roleInIam(session: Session, target: ZappaTarget, account: string): Promise<RoleProof> {
  if (target.roleArn && accountOfArn(target.roleArn) !== account) return uncheckedRole(target, `${target.roleArn} is in another account`);
  const role = await session.reads.role(target.roleName).catch(() => undefined);
  if (!role) return uncheckedRole(target, 'the role could not be read (see above)');
  const {policies, unreadable} = await rolePolicyDocuments(session.reads, target.roleName);
  return proveRole({target, trust: role.trust, policies, unreadable});
}

export async function runDoctor(options: Options): Promise<number> {
  const session = await openSession(options);
  try {
    const stage = session.resolution.answers.stage;
    const chosen = chooseProfile(options, session.files.settings()[stage] ?? {});
    // A profile_name that could not be a section name is reported by the checks; fall back for the rest.
    const usable = validateProfileName(chosen.profile) === true ? chosen : {profile: options.user, source: 'user' as const};
    const d = await diagnose({
      options, files: session.files, reads: session.reads, answers: session.resolution.answers,
      desiredFor: (identity) => desiredFor(session, session.resolution.answers, identity),
      describe: (err, who) => describeError(err, who).error,
      describeIdentityError: (err) => identityError(err, options).message,
    }, usable);
    const proof = await proveInIam(session, d);
    const verdict = proof ? proofVerdict(proof) : {problems: [], warnings: []};
    const ok = problemsOf(d.findings).length === 0 && verdict.problems.length === 0;
    if (options.json) {
      const report: DoctorReport = {
        command: 'doctor', ok, account: d.account, stage: d.stage,
        profile: d.profile, user: d.userName, steps: [], files: session.files.fileReports(),
        apiCalls: {...session.gateway.counts}, fixes: [], warnings: verdict.warnings,
        findings: d.findings, notChecked: d.notChecked, ...(proof ? {proof, problems: verdict.problems} : {}),
      };
      printJson(report);
    } else {
      renderDiagnosis(d, session.files.path('settings'), (l) => process.stdout.write(`${l}\n`), {
        proof: proof ? proofLines(proof, options.policy) : [],
        problems: verdict.problems.length,
      });
    }
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    session.gateway.destroy();
  }
}
