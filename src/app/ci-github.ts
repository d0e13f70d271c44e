/** Placeholder until the command lands: says so, exit 2. */
import type {Options} from '../args.js';
import {UserError} from '../errors.js';

export async function runCiGithub(options: Options): Promise<number> {
  throw new UserError(`${options.command} is not built yet.`);
}
