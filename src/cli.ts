/**
 * Runs one command and maps what happened to DESIGN.md's exit codes:
 * UserError -> its code (2 for bad input), a bug -> 1 with the stack.
 */
import {DEFAULT_SETTINGS, type Options} from './args.js';
import {EXIT, UserError} from './errors.js';
import {CheckError} from './engine/run.js';
import {describeError} from './app/describe-error.js';
import {AwsError} from './aws/aws-error.js';

// The SDK warns about Node 20 on stderr the first time a client is built;
// that note is for SDK maintainers, and it would tear through the checklist.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Without credentials the SDK's chain ends by probing the EC2 metadata service,
// which stalls a laptop for seconds. This is a workstation tool: ask for it
// explicitly (AWS_EC2_METADATA_DISABLED=false) on an EC2 instance.
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';

async function dispatch(options: Options): Promise<number> {
  switch (options.command) {
    case 'setup': {
      // A person at a terminal gets the walk-through; scripts, pipes, --yes and --json the plain run.
      if (!options.yes && !options.json && process.stdin.isTTY && process.stdout.isTTY) {
        const {runWalkthrough} = await import('./app/interactive/walkthrough.js');
        return runWalkthrough(options);
      }
      const {runSetup} = await import('./app/setup.js');
      return runSetup(options);
    }
    case 'plan': {
      const {runPlan} = await import('./app/setup.js');
      return runPlan(options);
    }
    case 'doctor': {
      const {runDoctor} = await import('./app/doctor/command.js');
      return runDoctor(options);
    }
    case 'rotate-key': {
      const {runRotateKey} = await import('./app/rotate-key.js');
      return runRotateKey(options);
    }
    case 'teardown': {
      const {runTeardown} = await import('./app/teardown.js');
      return runTeardown(options);
    }
    case 'ci': {
      const {runCiGithub} = await import('./app/ci-github.js');
      return runCiGithub(options);
    }
    case 'export': {
      const {runExport} = await import('./app/export/command.js');
      return runExport(options);
    }
  }
}

function fail(options: Options, command: string, message: string, hint: string | undefined, code: number): number {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({command, ok: false, steps: [], files: [], apiCalls: {read: 0, write: 0}, error: {message, hint}}, null, 2)}\n`);
  }
  process.stderr.write(`✖ ${message}\n${hint ? `  ${hint}\n` : ''}`);
  return code;
}

/** Without --settings, the file Zappa itself would read in this folder. */
async function withSettingsFile(options: Options): Promise<Options> {
  if (options.settings !== DEFAULT_SETTINGS || options.settingsFound) return options;
  const {findSettingsFile} = await import('./files/settings/index.js');
  const found = findSettingsFile(process.cwd());
  return found === DEFAULT_SETTINGS ? options : {...options, settings: found, settingsFound: true};
}

export async function runCli(given: Options): Promise<number> {
  const options = given;
  try {
    return await dispatch(await withSettingsFile(options));
  } catch (err) {
    if (err instanceof UserError) return fail(options, options.command, err.message, err.hint, err.exitCode);
    // An AWS call that failed outside any step (the bucket check, a key listing): a sentence naming the call.
    if (err instanceof AwsError) {
      const {error, hint} = describeError(err);
      return fail(options, options.command, error, hint, EXIT.failed);
    }
    if (err instanceof CheckError) {
      const {error, hint} = describeError(err.cause);
      return fail(options, options.command, `Can't check ${err.title}: ${error}`, hint, EXIT.failed);
    }
    if ((err as Error)?.name === 'ExitPromptError') {
      process.stderr.write('Cancelled. No changes were made.\n');
      return EXIT.cancelled;
    }
    process.stderr.write(`Unexpected error (a bug in zappa-iam-wizard): ${(err as Error)?.stack ?? err}\n`);
    process.stderr.write('Please report it with the command you ran. Re-running is safe: finished steps are detected and skipped.\n');
    return EXIT.failed;
  }
}
