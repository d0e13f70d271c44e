/**
 * `doctor`: read-only diagnosis of the files and the AWS setup, judged by
 * the setup steps' own checks (one verdict: what doctor calls a problem,
 * setup fixes or refuses; what setup only warns about, doctor shows as the
 * same warning). Makes no write call, to AWS or to any file. Exit 0 when no
 * ✖ is left, 1 when one is (each with its fix), 2 on bad usage.
 */
import type {Options} from '../../args.js';
import type {CallerIdentity} from '../../aws/port.js';
import {EXIT} from '../../errors.js';
import {inputNotes, ofSeverity, plannedSteps, problemTexts} from '../../engine/verdict.js';
import type {DesiredState, Finding, Fix} from '../../plan/types.js';
import type {Proof} from '../../policy/proof.js';
import {proofVerdict} from '../../policy/verdict.js';
import {localKey} from '../../steps/local-key.js';
import {textStyle} from '../../ui/findings-text.js';
import {describeError, identityError} from '../describe-error.js';
import {printJson, type Report} from '../report.js';
import {desiredFor, desiredStateOf, openSession, selfProvisioning, stepContext, type Session} from '../session.js';
import {checkRows, iamRowsInPlace, type NotChecked} from './diagnose.js';
import {sectionNameLints} from './lints.js';
import {renderDiagnosis} from './render.js';

/** The --json report of doctor: the common fields plus findings. */
export interface DoctorReport extends Report {
  command: 'doctor';
  profile: string;
  user: string;
  findings: Finding[];
  notChecked: NotChecked[];
}

type Admin = {ok: true; value: CallerIdentity} | {ok: false; reason: string};

/** Who may read IAM: the admin identity, unless there is none or it is the deploy user itself. */
async function adminOf(session: Session): Promise<Admin> {
  const {options} = session;
  try {
    const identity = await session.reads.identity();
    const self = selfProvisioning(identity.arn, session.resolution.answers.userName);
    return self ? {ok: false, reason: `${self.message} ${self.hint}`} : {ok: true, value: identity};
  } catch (err) {
    return {ok: false, reason: identityError(err, options).message};
  }
}

/**
 * The end state setup would converge to. Without an admin identity the
 * account comes from the profile's own key (or stays unknown): only the
 * rows the files answer are checked then, and those do not depend on it.
 */
async function desiredOf(session: Session, admin: Admin): Promise<{desired: DesiredState; fixes: Fix[]; account?: string}> {
  if (admin.ok) return {...(await desiredStateOf(session)), account: admin.value.account};
  const key = localKey(session.files, session.resolution.answers.profileName);
  const who = key ? await session.reads.keyIdentity(key) : undefined;
  const known = who && !(who instanceof Error) ? who : undefined;
  // With no account known, a stand-in fills the ARNs of rows that are not checked anyway.
  const desired = await desiredFor(session, session.resolution.answers, known ?? {account: '000000000000', partition: 'aws'});
  return {desired, fixes: session.resolution.fixes, account: known?.account};
}

async function proofOf(session: Session, desired: DesiredState): Promise<Proof> {
  const {proveAfterSetup} = await import('../../policy/after-setup.js');
  return proveAfterSetup(session.reads, desired, session.files.settings());
}

export async function runDoctor(options: Options): Promise<number> {
  const session = await openSession(options);
  try {
    const admin = await adminOf(session);
    const {desired, fixes, account} = await desiredOf(session, admin);
    const ctx = stepContext(session, desired);
    const who = admin.ok ? admin.value.arn : undefined;
    const rows = await checkRows(ctx, admin, (err) => describeError(err, who).error);
    const {files} = session;
    const findings = [
      ...inputNotes(fixes, session.resolution.warnings, `${files.path('settings')} stage "${desired.stage}"`),
      ...rows.findings,
      ...sectionNameLints({
        profile: desired.profileName, configSection: desired.configSection,
        credentials: {path: files.path('credentials'), text: files.text('credentials')},
        config: {path: files.path('config'), text: files.text('config')},
      }),
    ];
    const notChecked = [...rows.notChecked];
    let proof: Proof | undefined;
    if (admin.ok && iamRowsInPlace(rows.plan)) proof = await proofOf(session, desired);
    else if (admin.ok) notChecked.push({check: 'what Zappa may call (the permission proof)', reason: 'the IAM rows above are not in place yet; setup brings them in line first'});
    const verdict = proof ? proofVerdict(proof) : {problems: [], warnings: []};
    const ok = ofSeverity(findings, 'problem').length === 0 && verdict.problems.length === 0;
    if (options.json) {
      const report: DoctorReport = {
        command: 'doctor', ok, account, stage: desired.stage, profile: desired.profileName, user: desired.userName,
        steps: plannedSteps(rows.plan),
        files: files.fileReports(), apiCalls: {...session.gateway.counts}, fixes,
        warnings: [...problemTexts(findings, 'warning'), ...verdict.warnings],
        findings, notChecked, ...(proof ? {proof, problems: verdict.problems} : {}),
      };
      printJson(report);
    } else {
      const {proofLines} = await import('../../policy/proof-text.js');
      renderDiagnosis({
        header: `Doctor: stage "${desired.stage}" of ${files.path('settings')} · profile ${desired.profileName} · IAM user ${desired.userName}${account ? ` · account ${account}` : ''}`,
        findings, notChecked, proof: proof ? proofLines(proof, desired.preset) : [], proofProblems: verdict.problems.length,
      }, (l) => process.stdout.write(`${l}\n`), textStyle());
    }
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    session.gateway.destroy();
  }
}
