import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ADMIN_ENV} from './moto.js';

/** The `zappa_settings.json` a sandbox gets unless told otherwise. */
export const DEFAULT_SETTINGS = {
  dev: {
    app_function: 'app.app',
    project_name: 'demo-app',
    runtime: 'python3.12',
    aws_region: 'us-east-1',
  },
};

/** Options for {@link makeSandbox}. */
export interface SandboxOptions {
  /** Settings object (written as JSON), or raw file text (written as is, e.g. to test broken JSON). */
  settings?: unknown;
}

/** A throwaway HOME plus an example Zappa project, under one temp dir. */
export interface Sandbox {
  /** The temp dir holding everything below. */
  root: string;
  /** Fake HOME for child processes; `~/.aws` is not created, so tests start from "no AWS files". */
  home: string;
  /** The Zappa project directory (cwd for the CLI). */
  project: string;
  /** `<project>/zappa_settings.json`. */
  settingsPath: string;
  /** `<home>/.aws/credentials` (may not exist yet). */
  credentialsPath: string;
  /** `<home>/.aws/config` (may not exist yet). */
  configPath: string;
  /**
   * A clean environment for child processes: PATH, LANG, TERM, HOME=<home>
   * and ADMIN_ENV, with no inherited AWS_* variable. `extra` is merged last;
   * an `undefined` value removes that variable (e.g. to drop the admin keys).
   */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  /** Deletes the whole temp dir. */
  cleanup(): void;
}

const APP_PY = `from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hello from demo-app"
`;

/** Creates a sandbox; call `cleanup()` in afterEach. */
export function makeSandbox(opts: SandboxOptions = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'zw-sandbox-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);

  const settings = opts.settings ?? DEFAULT_SETTINGS;
  const settingsPath = join(project, 'zappa_settings.json');
  writeFileSync(settingsPath, typeof settings === 'string' ? settings : `${JSON.stringify(settings, null, 4)}\n`);
  writeFileSync(join(project, 'app.py'), APP_PY);

  return {
    root,
    home,
    project,
    settingsPath,
    credentialsPath: join(home, '.aws', 'credentials'),
    configPath: join(home, '.aws', 'config'),
    env: (extra) => cleanEnv(home, extra),
    cleanup: () => rmSync(root, {recursive: true, force: true}),
  };
}

function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  // Built from an allow-list, so no inherited AWS_* variable (real keys,
  // profiles, AWS_CONFIG_FILE…) can reach the code under test.
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    LANG: process.env.LANG,
    TERM: process.env.TERM,
    // pyenv's shims (aws, moto_server on dev machines) choose the Python from these.
    PYENV_ROOT: process.env.PYENV_ROOT,
    PYENV_VERSION: process.env.PYENV_VERSION,
    HOME: home,
    ...ADMIN_ENV,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
