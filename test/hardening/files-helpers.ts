/**
 * Helpers of the hardening tests for the person's files (issue 16, items 3-8
 * and 12): the built CLI run as an unprivileged user (root ignores file and
 * folder modes, so a read-only folder would prove nothing as root), and a
 * proxy that forwards a call to moto and then drops the answer.
 */
import {spawn} from 'node:child_process';
import {chownSync, cpSync, lstatSync, readdirSync} from 'node:fs';
import {createServer, request, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {dirname, join} from 'node:path';
import {classify} from '../helpers/aws-proxy.js';
import {CLI_BIN, type ProcessResult} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';

export const RUNS_AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
/** The launcher to run; HARDENING_CLI_BIN points at another build (e.g. of the previous commit, to see a test fail there). */
const CLI = process.env.HARDENING_CLI_BIN ?? CLI_BIN;

/**
 * The unprivileged user's copy of the built CLI, beside the sandbox's project:
 * a checkout under a private folder (mktemp -d is 0700) is out of its reach.
 */
const unprivilegedCli = (project: string): string => join(dirname(project), 'cli', 'bin', 'zappa-iam-wizard.js');

/** Makes every file of the sandbox the unprivileged user's (when the tests run as root), with a copy of the CLI it can run. */
export function giveToUnprivileged(sb: Sandbox): void {
  if (!RUNS_AS_ROOT) return;
  // The launcher, the bundle and the templates are all the CLI reads (it has no runtime dependencies).
  const packageRoot = dirname(dirname(CLI));
  for (const part of ['bin', 'dist', 'templates', 'package.json']) cpSync(join(packageRoot, part), join(dirname(unprivilegedCli(sb.project)), '..', part), {recursive: true});
  const walk = (path: string) => {
    chownSync(path, NOBODY, NOBODY);
    if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(sb.root);
}

export interface WizardRun { cwd: string; env: Record<string, string>; timeoutMs?: number; unprivileged?: boolean }

/**
 * Runs the built CLI without a TTY; with `unprivileged`, as "nobody" when the
 * tests run as root (call giveToUnprivileged first), else as the current
 * user. A run past `timeoutMs` is killed and rejects.
 */
export function runWizard(args: string[], opts: WizardRun): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const asNobody = opts.unprivileged && RUNS_AS_ROOT;
    const ids = asNobody ? {uid: NOBODY, gid: NOBODY} : {};
    const child = spawn(process.execPath, [asNobody ? unprivilegedCli(opts.cwd) : CLI, ...args], {cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], ...ids});
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`zappa-iam-wizard ${args.join(' ')} timed out\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({code: code ?? 1, stdout, stderr});
    });
  });
}

/** A proxy in front of moto that, for the chosen actions, lets moto act and then drops the answer. */
export interface DroppingProxy {
  url: string;
  /** Every action seen, in order. */
  actions: string[];
  close(): Promise<void>;
}

export async function startDroppingProxy(target: string, drop: (action: string) => boolean): Promise<DroppingProxy> {
  const upstream = new URL(target);
  const actions: string[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const {action} = classify(req, body);
    actions.push(action);
    const forwarded = request({hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
      if (!drop(action)) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      // moto has done the work; the client never hears of it.
      answer.resume();
      answer.on('end', () => req.socket.destroy());
    });
    forwarded.on('error', () => req.socket.destroy());
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    actions,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
