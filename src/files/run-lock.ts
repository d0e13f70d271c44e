/**
 * One wizard run at a time changes a credentials file: a lock file beside it,
 * created with O_EXCL, holding the owner's pid and host. Two runs started
 * together take turns, so they cannot both make a key for the same profile
 * (the loser's secret would end up only in a backup). A lock left by a run
 * that died (kill -9, a crash) names a pid that no longer exists on this host:
 * the next run takes it over. The lock is removed when the run is done with
 * it, and on exit.
 */
import {randomBytes} from 'node:crypto';
import {promises as fs, readFileSync, unlinkSync} from 'node:fs';
import {hostname} from 'node:os';

/** Who holds a lock, as written in the lock file. */
export interface LockHolder { pid: number; host: string; since: string }

export interface HeldLock {
  path: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for another run before giving up. */
  timeoutMs?: number;
  pollMs?: number;
  /** Told once when another run holds the lock and this one starts waiting. */
  onWait?: (holder: LockHolder | undefined) => void;
}

/** Another run kept the lock for longer than this one would wait. */
export class LockBusyError extends Error {
  constructor(readonly path: string, readonly holder: LockHolder | undefined, readonly waitedMs: number) {
    super(`${path} is held by ${holder ? `pid ${holder.pid} on ${holder.host} since ${holder.since}` : 'another run'}`);
    this.name = 'LockBusyError';
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_MS = 100;
// A lock file with no readable holder is one being written right now, or one a crash cut short.
const UNREADABLE_GRACE_MS = 5_000;

/** Locks this process still holds, removed on exit whatever the reason (a kill -9 leaves them stale, which is handled). */
const heldPaths = new Map<string, string>();
let exitHookInstalled = false;

export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const content = JSON.stringify({pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex')});
  let told = false;
  for (;;) {
    if (await tryCreate(path, content)) return held(path, content);
    const seen = await readLock(path);
    if (seen === undefined) continue; // released meanwhile: try again at once
    if (await isStale(path, seen.holder)) {
      await takeOver(path, seen.raw);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new LockBusyError(path, seen.holder, waited);
    if (!told) options.onWait?.(seen.holder);
    told = true;
    await new Promise((done) => setTimeout(done, options.pollMs ?? DEFAULT_POLL_MS));
  }
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

function held(path: string, content: string): HeldLock {
  heldPaths.set(path, content);
  installExitHook();
  return {
    path,
    async release() {
      heldPaths.delete(path);
      // Only our own lock: one taken over from us after a long stall is the other run's now.
      const now = await readLock(path);
      if (now?.raw === content) await fs.rm(path, {force: true});
    },
  };
}

async function readLock(path: string): Promise<{raw: string; holder: LockHolder | undefined} | undefined> {
  try {
    const raw = await fs.readFile(path, 'utf8');
    return {raw, holder: parseHolder(raw)};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? 'an unknown time')};
  } catch {
    return undefined;
  }
}

/** A holder on this host whose pid is gone, or a lock nobody finished writing a while ago. */
async function isStale(path: string, holder: LockHolder | undefined): Promise<boolean> {
  if (!holder) {
    const age = await fs.stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
    return age > UNREADABLE_GRACE_MS;
  }
  // Another host's pid cannot be checked from here (a shared home folder): wait for it, or for the person.
  if (holder.host !== hostname()) return false;
  return !processExists(holder.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside and removes it. If what was moved is not the
 * stale lock after all (another run took it over a moment earlier and made
 * its own), it is put back.
 */
async function takeOver(path: string, staleRaw: string): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await fs.rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => staleRaw);
  if (moved !== staleRaw) await fs.link(aside, path).catch(() => undefined);
  await fs.rm(aside, {force: true});
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [path, content] of heldPaths) {
      try {
        if (readFileSync(path, 'utf8') === content) unlinkSync(path);
      } catch {
        // Already gone, or the folder went away: nothing to clean.
      }
    }
  });
}
