/**
 * Entry point. Answers --help and --version from this small chunk; everything
 * else (AWS SDK, Ink, React, Inquirer) loads only when a command runs.
 */
import {parseArgs, UsageError} from './args.js';
import {helpText} from './help.js';

declare const __VERSION__: string;

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (options.version) {
    process.stdout.write(`${__VERSION__}\n`);
    return 0;
  }
  if (options.help) {
    const explicit = argv.some((a) => a === options.command);
    process.stdout.write(`${helpText(explicit ? options.command : undefined)}\n`);
    return 0;
  }
  const {runCli} = await import('./cli.js');
  return runCli(options);
}

process.exitCode = await main(process.argv.slice(2));
