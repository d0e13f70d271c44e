/**
 * The permission proof for every stage of a run: each stage's calls against
 * the one deployment policy, and each stage's execution role. With several
 * stages each sentence says which stage it is about.
 */
import type {Reads} from '../engine/reads.js';
import type {DesiredState} from '../plan/types.js';
import {proveAfterSetup} from './after-setup.js';
import type {Proof} from './proof.js';
import {proofVerdict, type ProofVerdict} from './verdict.js';

export interface StageProof { stage: string; proof: Proof }

export function proveStages(reads: Reads, desireds: readonly DesiredState[], allSettings: Record<string, Record<string, unknown>>): Promise<StageProof[]> {
  return Promise.all(desireds.map(async (d) => ({stage: d.stage, proof: await proveAfterSetup(reads, d, allSettings)})));
}

/** The verdicts of all stages; a sentence two stages share is said once. */
export function stagesVerdict(proofs: readonly StageProof[]): ProofVerdict {
  const label = (stage: string, text: string) => (proofs.length > 1 ? `stage "${stage}": ${text}` : text);
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const {stage, proof} of proofs) {
    const v = proofVerdict(proof);
    problems.push(...v.problems.map((t) => label(stage, t)));
    warnings.push(...v.warnings.map((t) => label(stage, t)));
  }
  return {problems: [...new Set(problems)], warnings: [...new Set(warnings)]};
}
