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
import {localKey} from '../../steps/local-key.js';
import {textStyle} from '../../ui/findings-text.js';
import {describeError, identityError} from '../describe-error.js';
import {printJson, type Report} from '../report.js';
import {desiredFor, desiredStagesOf, openSession, selfProvisioning, stepContext, type Session} from '../session.js';
import {sharePolicies} from '../share-policies.js';
import {inputWarnings} from '../session.js';
import {stagesPhrase, stagesProofLines} from '../stages-text.js';
import type {StageProof} from '../../policy/stage-proofs.js';
import {checkRows, iamRowsInPlace, type NotChecked} from './diagnose.js';
import {sectionNameLints} from './lints.js';
import {renderDiagnosis} from './render.js';
import {flagIdentity, withIdentity} from '../identity-in-force.js';
import {deployIdentityPhrase} from '../identity-text.js';

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
async function desiredOf(session: Session, admin: Admin): Promise<{desired: DesiredState; desireds: DesiredState[]; fixes: Fix[]; account?: string}> {
  if (admin.ok) return {...(await desiredStagesOf(session)), account: admin.value.account};
  const key = localKey(session.files, session.resolution.answers.profileName);
  const who = key ? await session.reads.keyIdentity(key) : undefined;
  const known = who && !(who instanceof Error) ? who : undefined;
  // With no account known, a stand-in fills the ARNs of rows that are not checked anyway.
  const identity = known ?? {account: '000000000000', partition: 'aws'};
  // No admin identity: no policy tag to read, so only the flags tell the kind.
  const kind = flagIdentity(session.options) ?? {kind: 'user' as const};
  const answersOf = (s: Session['stages'][number]) => withIdentity(s.resolution.answers, kind, session.options, process.env);
  const desireds = sharePolicies(await Promise.all(session.stages.map((s) => desiredFor(session, answersOf(s), identity))));
  return {desired: desireds[0]!, desireds, fixes: session.stages.flatMap((s) => s.resolution.fixes), account: known?.account};
}

async function proofsOf(session: Session, desireds: DesiredState[]): Promise<StageProof[]> {
  const {proveStages} = await import('../../policy/stage-proofs.js');
  return proveStages(session.reads, desireds, session.files.settings());
}

export async function runDoctor(options: Options): Promise<number> {
  const session = await openSession(options);
  try {
    const admin = await adminOf(session);
    const {desired, desireds, fixes, account} = await desiredOf(session, admin);
    const ctx = stepContext(session, desired, desireds);
    const who = admin.ok ? admin.value.arn : undefined;
    const rows = await checkRows(ctx, desireds, admin, (err) => describeError(err, who).error);
    const {files} = session;
    const findings = [
      ...inputNotes(fixes, inputWarnings(session), files.path('settings'), desired.stage),
      ...rows.findings,
      ...sectionNameLints({
        profile: desired.profileName, configSection: desired.configSection,
        credentials: {path: files.path('credentials'), text: files.text('credentials')},
        config: {path: files.path('config'), text: files.text('config')},
      }),
    ];
    const notChecked = [...rows.notChecked];
    let proofs: StageProof[] = [];
    if (admin.ok && iamRowsInPlace(rows.plan)) proofs = await proofsOf(session, desireds);
    else if (admin.ok) notChecked.push({check: 'what Zappa may call (the permission proof)', reason: 'the IAM rows above are not in place yet; setup brings them in line first'});
    const proof = proofs[0]?.proof;
    const {stagesVerdict} = await import('../../policy/stage-proofs.js');
    const verdict = stagesVerdict(proofs);
    const ok = ofSeverity(findings, 'problem').length === 0 && verdict.problems.length === 0;
    if (options.json) {
      const report: DoctorReport = {
        command: 'doctor', ok, account, stage: desired.stage, profile: desired.profileName, user: desired.userName,
        steps: plannedSteps(rows.plan),
        files: files.fileReports(), apiCalls: {...session.gateway.counts}, fixes,
        warnings: [...problemTexts(findings, 'warning'), ...verdict.warnings],
        findings, notChecked, ...(proof ? {proof, problems: verdict.problems} : {}),
        ...(proofs.length > 1 ? {stages: desireds.map((d) => d.stage), stageProofs: proofs} : {}),
      };
      printJson(report);
    } else {
      const {proofLines} = await import('../../policy/proof-text.js');
      renderDiagnosis({
        header: `Doctor: ${stagesPhrase(desireds)} of ${files.path('settings')} · profile ${desired.profileName} · ${deployIdentityPhrase(desired)}${account ? ` · account ${account}` : ''}`,
        findings, notChecked, proof: stagesProofLines(proofs, desired.preset, proofLines), proofProblems: verdict.problems.length,
      }, (l) => process.stdout.write(`${l}\n`), textStyle());
    }
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    session.gateway.destroy();
  }
}
