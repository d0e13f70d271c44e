/** `rotate-key`: not built yet (placeholder so the command table is complete). */
import type {Options} from '../args.js';
import {UserError} from '../errors.js';

export async function runRotateKey(options: Options): Promise<number> {
  throw new UserError(`"${options.command}" is not available in this version yet.`);
}
