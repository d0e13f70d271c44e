/**
 * `doctor`: read-only diagnosis of the files and the AWS setup. Makes no
 * write call, to AWS or to any file. Exit 0 when nothing is wrong, 1 when it
 * found something (each finding with its fix), 2 on bad usage.
 */
import type {Options} from '../args.js';
import {EXIT} from '../errors.js';
import {validateProfileName} from '../plan/names.js';
import {chooseProfile, diagnose, type Diagnosis} from '../lifecycle/doctor/diagnose.js';
import {effectivePolicies} from '../policy/effective.js';
import {provePermissions, type Proof} from '../policy/proof.js';
import {proofLines} from '../policy/proof-text.js';
import type {Finding, NotChecked} from '../lifecycle/doctor/finding.js';
import {renderDiagnosis} from '../lifecycle/doctor/render.js';
import {describeError, identityError} from './describe-error.js';
import {printJson, type Report} from './report.js';
import {openSession, type Session} from './session.js';
import {zappaTargetOf} from '../policy/target.js';
import {loadTemplates} from './templates.js';

/** The --json report of doctor: the common fields plus findings. */
export interface DoctorReport extends Report {
  command: 'doctor';
  profile: string;
  user: string;
  findings: Finding[];
  notChecked: NotChecked[];
}

/**
 * The strict preset needs the stage's target before the account is known.
 * Its ARNs are built with the same placeholders the bundled templates use,
 * which the diagnosis fills in once STS has answered.
 */
function placeholderTarget(session: Session) {
  const a = session.resolution.answers;
  return zappaTargetOf({...a, account: '<ACCOUNT_ID>', partition: '<PARTITION>'}, session.files.settings());
}

/**
 * What the user's attached policies let Zappa do, evaluated offline (reads
 * only). Needs admin credentials to read the policies; skipped otherwise.
 */
async function proveInIam(session: Session, d: Diagnosis): Promise<Proof | undefined> {
  const identity = await session.reads.identity().catch(() => undefined);
  if (!identity || !(await session.reads.user(d.userName).catch(() => undefined))) return undefined;
  const {policies, unreadable} = await effectivePolicies(session.reads, d.userName);
  const target = zappaTargetOf({...session.resolution.answers, roleName: d.roleName, account: identity.account, partition: identity.partition}, session.files.settings());
  return provePermissions({policies, unreadable, target, userName: d.userName});
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
      templates: await loadTemplates(options.policy, placeholderTarget(session)),
      describe: (err, who) => describeError(err, who).error,
      describeIdentityError: (err) => identityError(err, options).message,
    }, usable);
    const proof = await proveInIam(session, d);
    if (options.json) {
      const report: DoctorReport = {
        command: 'doctor', ok: d.findings.length === 0, account: d.account, stage: d.stage,
        profile: d.profile, user: d.userName, steps: [], files: session.files.fileReports(),
        apiCalls: {...session.gateway.counts}, fixes: [], warnings: [],
        findings: d.findings, notChecked: d.notChecked, ...(proof ? {proof} : {}),
      };
      printJson(report);
    } else {
      renderDiagnosis(d, session.files.path('settings'), (l) => process.stdout.write(`${l}\n`));
      if (proof) for (const line of proofLines(proof, options.policy)) process.stdout.write(`${line}\n`);
    }
    return d.findings.length === 0 ? EXIT.ok : EXIT.failed;
  } finally {
    session.gateway.destroy();
  }
}
