/** How every command names the stages of a run in its text output. */
import type {Proof} from '../policy/proof.js';
import type {StageProof} from '../policy/stage-proofs.js';

/** `stage "dev"`, or `stages "dev", "prod"`. */
export function stagesPhrase(stages: ReadonlyArray<{stage: string}>): string {
  const names = stages.map((s) => `"${s.stage}"`);
  return names.length === 1 ? `stage ${names[0]}` : `stages ${names.join(', ')}`;
}

/**
 * The proof of every stage: the first stage's in full, then for each other
 * stage only the lines that differ from it (the policy is the same one, so
 * most of it reads the same), under a heading naming the stage.
 */
export function stagesProofLines(proofs: readonly StageProof[], preset: string, lines: (proof: Proof, preset: string) => string[]): string[] {
  const [first, ...rest] = proofs;
  if (!first) return [];
  const base = lines(first.proof, preset);
  if (!rest.length) return base;
  const seen = new Set(base);
  return [
    `Stage "${first.stage}":`, ...base.map((l) => `  ${l}`),
    ...rest.flatMap((p) => {
      const own = lines(p.proof, preset).filter((l) => !seen.has(l));
      return own.length ? [`Stage "${p.stage}" (what differs from "${first.stage}"):`, ...own.map((l) => `  ${l}`)] : [`Stage "${p.stage}": the same as "${first.stage}".`];
    }),
  ];
}

/** What to run next: `zappa deploy dev`, one line per stage. */
export function deployCommands(stages: ReadonlyArray<{stage: string}>): string[] {
  return stages.map((s) => `zappa deploy ${s.stage}`);
}
