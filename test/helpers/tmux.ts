import {execFile, execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {promisify} from 'node:util';
import {afterAll} from 'vitest';

const execFileAsync = promisify(execFile);

/** Options for a {@link TmuxSession}. */
export interface TmuxOptions {
  /** Working directory of the command. Default: the current one. */
  cwd?: string;
  /**
   * The command's complete environment (usually `sandbox.env()`); it is run
   * under `env -i`, because the tmux server would otherwise hand it this
   * process's environment, real AWS_* variables included.
   * Default: inherit this process's environment.
   */
  env?: Record<string, string>;
  /** TERM inside the pane. Default `xterm-256color`: the pane is a real terminal, whatever TERM the tests run under. */
  term?: string;
  cols?: number;
  rows?: number;
}

// Sessions a test forgot to kill (usually because it failed first). A tmux
// server is a daemon that would otherwise outlive the run with its
// `sleep 3600`: importing this module registers an afterAll in the importing
// test file that kills them. The worker's 'exit' event is only a backstop,
// since vitest may end a worker with a signal, which skips it.
const live = new Set<TmuxSession>();
const killLive = () => live.forEach((session) => session.killSync());
afterAll(killLive);
process.once('exit', killLive);

/**
 * A shell command running in a real pseudo-terminal: a detached tmux session
 * on a private socket, so a developer's own tmux is never touched. After the
 * command ends the pane prints `EXIT=<code>` and stays open, so the final
 * screen and the exit code can still be read.
 */
export class TmuxSession {
  /** Name of the private tmux socket (`tmux -L <socket>`). */
  readonly socket = `zw-${randomBytes(6).toString('hex')}`;
  private killed = false;

  /** Starts `command` (shell syntax, run by `/bin/sh -c`) in a new session. */
  constructor(command: string, opts: TmuxOptions = {}) {
    const {cwd = process.cwd(), env, term = 'xterm-256color', cols = 100, rows = 30} = opts;
    const vars = env ? {...env, TERM: term} : {TERM: term};
    const prefix = `env ${env ? '-i ' : ''}${Object.entries(vars).map(([k, v]) => shellQuote(`${k}=${v}`)).join(' ')}`;
    const script = `${prefix} /bin/sh -c ${shellQuote(command)}; echo EXIT=$?; sleep 3600`;
    // -f /dev/null: a user's ~/.tmux.conf must not change sizes or key bindings.
    // status off: the pane gets all `rows` lines.
    this.tmuxSync('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(cols), '-y', String(rows), '-c', cwd, script, ';', 'set-option', '-g', 'status', 'off');
    live.add(this);
  }

  /** True when a `tmux` binary can be run here. */
  static available(): boolean {
    try {
      execFileSync('tmux', ['-V'], {stdio: 'ignore'});
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The visible pane text, trailing blank lines removed; with `scrollback`,
   * everything printed since the start, including lines scrolled off the top;
   * with `joined`, lines the terminal wrapped are joined again.
   */
  async screen(options: {scrollback?: boolean; joined?: boolean} = {}): Promise<string> {
    const range = options.scrollback ? ['-S', '-'] : [];
    // -J: a line the terminal wrapped comes back as the one line it is (what copying it from the terminal gives).
    const join = options.joined ? ['-J'] : [];
    const {stdout} = await this.tmux('capture-pane', '-p', ...join, ...range, '-t', 'main');
    return stdout.replace(/\s+$/, '');
  }

  /**
   * Polls the screen every 50 ms until it contains `expected`; resolves with
   * that screen. Fails after `timeoutMs`, showing the screen as it was.
   */
  async waitFor(expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${String(expected)}. Screen:\n${screen}`);
  }

  /** Types `text` literally (no key-name lookup, so "Enter" is five letters). */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', '-l', '--', text);
  }

  /** Presses named keys in order: `Enter`, `Down`, `Up`, `Escape`, `C-c`, `Tab`… */
  async keys(...names: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', ...names);
  }

  /** Waits for the command to finish and returns its exit code. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const screen = await this.waitFor(/^EXIT=\d+$/m, timeoutMs);
    return Number(/^EXIT=(\d+)$/m.exec(screen)![1]);
  }

  /** Ends the session, its processes and its tmux server. Safe to call twice. */
  async kill(): Promise<void> {
    this.killSync();
  }

  /** Synchronous {@link kill}, usable from an `exit` handler. */
  killSync(): void {
    if (this.killed) return;
    this.killed = true;
    live.delete(this);
    try {
      this.tmuxSync('kill-server');
    } catch {
      // The server is already gone.
    }
  }

  private tmux(...args: string[]) {
    return execFileAsync('tmux', ['-L', this.socket, ...args]);
  }

  private tmuxSync(...args: string[]): void {
    execFileSync('tmux', ['-L', this.socket, ...args], {stdio: ['ignore', 'ignore', 'pipe']});
  }
}

/** Single-quotes a word for /bin/sh. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
