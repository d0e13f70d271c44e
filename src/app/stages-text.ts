/** How every command names the stages of a run in its text output. */
import type {Proof} from '../policy/proof.js';
import type {StageProof} from '../policy/stage-proofs.js';

/** `stage "dev"`, or `stages "dev", "prod"`. */
export function stagesPhrase(stages: ReadonlyArray<{stage: string}>): string {
  const names = stages.map((s) => `"${s.stage}"`);
  return names.length === 1 ? `stage ${names[0]}` : `stages ${names.join(', ')}`;
}

/** One stage's proof lines, under a heading naming the stage when the run has several. */
export function stageProofLines(p: StageProof, count: number, preset: string, lines: (proof: Proof, preset: string) => string[]): string[] {
  const own = lines(p.proof, preset);
  return count > 1 ? [`Stage "${p.stage}":`, ...own.map((l) => `  ${l}`)] : own;
}

/** What to run next: `zappa deploy dev`, one line per stage. */
export function deployCommands(stages: ReadonlyArray<{stage: string}>): string[] {
  return stages.map((s) => `zappa deploy ${s.stage}`);
}
