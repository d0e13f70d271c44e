#!/usr/bin/env node
// Survey: runs the built wizard over a folder of real zappa settings files, each stage, both
// presets (document, strict), against moto_server, and reports which stage runs end clean.
//
//   node scripts/survey/run.mjs <folder> [--cli <bin/zappa-iam-wizard.js>] [--out <report.json>]
//        [--only <substring>] [--jobs <n>] [--timeout <seconds>] [--keep]
//
// Plain Node ESM, no dependencies. Needs moto_server and python3 (PyYAML, tomllib) on PATH.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {basename, dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PRESETS = ['document', 'strict'];

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) process.stderr.write(`survey: ${msg}\n`);
  process.stderr.write(
    'usage: node scripts/survey/run.mjs <folder-of-settings-files> [--cli <path>] [--out <report.json>]\n' +
      '       [--only <substring>] [--jobs <n, default 2>] [--timeout <seconds per command, default 60>] [--keep]\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = {folder: undefined, cli: resolve(HERE, '../../bin/zappa-iam-wizard.js'), out: undefined, only: undefined, jobs: 2, timeout: 60, keep: false};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--cli') o.cli = resolve(val());
    else if (a === '--out') o.out = resolve(val());
    else if (a === '--only') o.only = val();
    else if (a === '--jobs') o.jobs = Math.max(1, Number.parseInt(val(), 10) || 1);
    else if (a === '--timeout') o.timeout = Math.max(1, Number(val()) || 60);
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('--')) usage(`unknown flag ${a}`);
    else if (o.folder === undefined) o.folder = resolve(a);
    else usage(`unexpected argument ${a}`);
  }
  if (!o.folder) usage('the folder of settings files is required');
  return o;
}

// ---------------------------------------------------------------- corpus

/** How Zappa would name the file, and how to read its stages. */
function classify(name) {
  const n = name.toLowerCase();
  if (/\.json(\.example|\.template|\.sample|\.dist)?$/.test(n)) return {format: 'json', target: 'zappa_settings.json'};
  if (/\.ya?ml(\.example|\.template|\.sample|\.dist)?$/.test(n)) {
    const ext = /\.yaml/.test(n) ? 'yaml' : 'yml';
    return {format: 'yaml', target: `zappa_settings.${ext}`};
  }
  if (/\.toml(\.example|\.template|\.sample|\.dist)?$/.test(n)) return {format: 'toml', target: 'zappa_settings.toml'};
  return undefined;
}

const PY_STAGES = `
import json, sys
path, fmt = sys.argv[1], sys.argv[2]
try:
    if fmt == 'yaml':
        import yaml
        with open(path, encoding='utf-8') as f:
            data = yaml.safe_load(f)
    else:
        import tomllib
        with open(path, 'rb') as f:
            data = tomllib.load(f)
except Exception as e:
    print(json.dumps({'error': type(e).__name__ + ': ' + ' '.join(str(e).split())}))
    sys.exit(0)
if not isinstance(data, dict):
    print(json.dumps({'error': 'top level is ' + type(data).__name__ + ', not a mapping'}))
else:
    print(json.dumps({'stages': [str(k) for k, v in data.items() if isinstance(v, dict)],
                      'otherKeys': [str(k) for k, v in data.items() if not isinstance(v, dict)]}))
`;

function listStages(path, format) {
  if (format === 'json') {
    let data;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return {error: `JSON.parse: ${String(e.message).split('\n')[0]}`};
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return {error: 'top level is not an object'};
    const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    return {stages: Object.keys(data).filter((k) => isObj(data[k])), otherKeys: Object.keys(data).filter((k) => !isObj(data[k]))};
  }
  const r = spawnSync('python3', ['-c', PY_STAGES, path, format], {encoding: 'utf8', timeout: 30_000});
  if (r.error) return {error: `python3: ${r.error.message}`};
  try {
    return JSON.parse(r.stdout);
  } catch {
    return {error: `python3 exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`};
  }
}

// ---------------------------------------------------------------- processes

const children = new Set(); // pids of process groups we started (moto servers and CLI runs)
const tempDirs = new Set(); // temp folders of stage runs in progress (removed on Ctrl-C unless --keep)

function makeTemp() {
  const base = mkdtempSync(join(tmpdir(), 'zw-survey-'));
  tempDirs.add(base);
  return base;
}

function dropTemp(base, keep) {
  tempDirs.delete(base);
  if (!keep) rmSync(base, {recursive: true, force: true});
}

function killGroup(pid, signal = 'SIGTERM') {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address();
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startMoto() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {detached: true, stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.on('error', (e) => {
    exited = true;
    stderr += String(e.message);
  });
  if (child.pid) children.add(child.pid);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`moto_server exited before answering: ${stderr.trim().split('\n').pop() ?? ''}`);
    try {
      const r = await fetch(`${url}/moto-api/reset`, {method: 'POST'});
      if (r.ok) return {url, pid: child.pid};
    } catch {
      /* not up yet */
    }
    await sleep(150);
  }
  killGroup(child.pid, 'SIGKILL');
  throw new Error('moto_server did not answer within 30 s');
}

async function resetMoto(url) {
  const r = await fetch(`${url}/moto-api/reset`, {method: 'POST'});
  if (!r.ok) throw new Error(`moto reset: HTTP ${r.status}`);
}

function cleanEnv(home) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {HOME: home, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', NO_COLOR: '1', CI: '1'});
  delete env.FORCE_COLOR;
  return env;
}

/** Runs `node <cli> ...args` in cwd; never rejects. */
function runCli(cli, args, {cwd, env, timeoutMs}) {
  return new Promise((res) => {
    const started = Date.now();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(process.execPath, [cli, ...args], {cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
    } catch (e) {
      res({exit: null, signal: null, timedOut, ms: 0, stdout, stderr: String(e.message)});
      return;
    }
    if (child.pid) children.add(child.pid);
    child.stdout.on('data', (d) => {
      if (stdout.length < 4_000_000) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 200_000) stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    const done = (exit, signal, err) => {
      clearTimeout(timer);
      children.delete(child.pid);
      res({exit, signal, timedOut, ms: Date.now() - started, stdout, stderr: err ? `${stderr}${err}` : stderr});
    };
    child.on('error', (e) => done(null, null, String(e.message)));
    child.on('close', (code, signal) => done(code, signal));
  });
}

// ---------------------------------------------------------------- one stage run

const SEQUENCE = [
  {label: 'plan#1', args: ['plan'], expect: 'exit 3 or 0'},
  {label: 'setup#1', args: ['setup', '--yes'], expect: 'exit 0'},
  {label: 'setup#2', args: ['setup', '--yes'], expect: 'exit 0, 0 writes'},
  {label: 'plan#2', args: ['plan'], expect: 'exit 0'},
  {label: 'doctor', args: ['doctor'], expect: 'exit 0, no problem findings (warnings allowed)'},
];

function oneLine(s, max = 220) {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function summariseProof(proof) {
  if (!proof || typeof proof !== 'object') return undefined;
  return {
    ok: proof.ok,
    policies: proof.policies,
    unreadable: proof.unreadable,
    commands: (proof.commands ?? []).map((c) => ({
      command: c.command,
      ok: c.ok,
      allowed: c.allowed,
      total: c.total,
      missing: (c.missing ?? []).filter((m) => !m.tolerated).map((m) => `${m.action} on ${m.resource}${m.decision ? ` (${m.decision})` : ''}`),
      tolerated: (c.missing ?? []).filter((m) => m.tolerated).map((m) => m.action),
    })),
    denialsNotHolding: (proof.denials ?? [])
      .filter((d) => d.holds === false)
      .map((d) => ({
        id: d.id,
        allowed: (d.checks ?? []).filter((c) => c.decision === 'allowed').map((c) => `${c.action} on ${c.resource}`),
        services: d.services,
      })),
  };
}

function record(step, r) {
  const out = {label: step.label, args: step.args, exit: r.exit, ms: r.ms};
  if (r.signal) out.signal = r.signal;
  if (r.timedOut) out.timedOut = true;
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    out.jsonError = r.stdout.trim() ? `stdout is not JSON: ${oneLine(r.stdout, 300)}` : 'no stdout';
  }
  if (report && typeof report === 'object') {
    out.ok = report.ok;
    out.steps = (report.steps ?? []).map((s) => ({id: s.id, ...(s.stage ? {stage: s.stage} : {}), status: s.status, detail: s.detail, ...(s.hint ? {hint: s.hint} : {})}));
    out.apiCalls = report.apiCalls;
    if (report.files) out.files = report.files.map((f) => ({path: basename(f.path ?? ''), status: f.status}));
    out.warnings = report.warnings ?? [];
    out.fixes = report.fixes ?? [];
    if (report.findings) out.findings = report.findings;
    if (report.notChecked) out.notChecked = report.notChecked;
    if (report.error) out.error = report.error;
    const p = summariseProof(report.proof);
    if (p) out.proof = p;
  }
  const err = r.stderr.trim();
  if (err) out.stderr = err.length > 4000 ? `${err.slice(0, 4000)}…` : err;
  return out;
}

function errorText(rec) {
  if (rec.timedOut) return 'timed out';
  if (rec.error?.message) return oneLine(rec.error.message);
  if (rec.jsonError) return rec.stderr ? `${rec.jsonError}; stderr: ${oneLine(rec.stderr.split('\n').find((l) => l.trim()) ?? '', 160)}` : rec.jsonError;
  const failed = (rec.steps ?? []).find((s) => s.status === 'failed');
  if (failed) return oneLine(`step ${failed.id} failed: ${failed.detail}`);
  return '';
}

const pending = (rec) => (rec.steps ?? []).filter((s) => s.status !== 'unchanged' && s.status !== 'skipped').map((s) => (s.stage ? `${s.id}@${s.stage}` : s.id));

/** Returns the first failed expectation: {label, reason (specific), key (for grouping)}; undefined when clean. */
function judge(recs) {
  const [plan1, setup1, setup2, plan2, doctor] = recs;
  const exitFail = (rec, want) => {
    const why = errorText(rec);
    const head = `${rec.label}: exit ${rec.timedOut ? 'timeout' : rec.exit ?? `signal ${rec.signal}`} (want ${want})`;
    return {label: rec.label, reason: why ? `${head}: ${why}` : head, key: why ? `${head}: ${normalise(why)}` : head};
  };
  if (!(plan1.exit === 3 || plan1.exit === 0)) return exitFail(plan1, '3 or 0');
  if (setup1.exit !== 0) return exitFail(setup1, '0');
  if (setup2.exit !== 0) return exitFail(setup2, '0');
  if (!setup2.apiCalls || setup2.apiCalls.write !== 0) {
    const changed = pending(setup2).join(', ') || 'no step reports a change';
    return {label: 'setup#2', reason: `setup#2: ${setup2.apiCalls?.write ?? '?'} writes on re-run (steps: ${changed})`, key: `setup#2: writes on re-run (steps: ${changed})`};
  }
  if (plan2.exit !== 0) {
    if (plan2.exit === 3) {
      const p = pending(plan2);
      const first = (plan2.steps ?? []).find((s) => s.status !== 'unchanged' && s.status !== 'skipped');
      return {
        label: 'plan#2',
        reason: `plan#2: exit 3 after setup, pending: ${p.join(', ')}${first ? ` (${oneLine(first.detail, 160)})` : ''}`,
        key: `plan#2: exit 3 after setup, pending: ${p.join(', ')}`,
      };
    }
    return exitFail(plan2, '0');
  }
  // Warnings (!) and notes (•) work: doctor exits 0 for them. Only a problem (✖) fails a stage run.
  const problems = (doctor.findings ?? []).filter((x) => x.severity === 'problem');
  if (doctor.exit !== 0 || problems.length > 0) {
    const f = problems[0];
    if (f) {
      const ids = [...new Set(problems.map((x) => x.id))].join(', ');
      return {label: 'doctor', reason: `doctor: exit ${doctor.exit}, finding ${f.id}: ${oneLine(f.problem, 180)}`, key: `doctor: findings ${ids}`};
    }
    return exitFail(doctor, '0, no findings');
  }
  const proof = setup1.proof;
  if (!proof) return {label: 'setup#1 proof', reason: 'setup#1: no proof in the report', key: 'setup#1: no proof in the report'};
  const bad = proof.commands.find((c) => !c.ok);
  if (bad) {
    const m = bad.missing[0] ?? '(no non-tolerated missing action listed)';
    return {label: 'setup#1 proof', reason: `proof: zappa ${bad.command} not ok: missing ${m}`, key: `proof: zappa ${bad.command} missing ${m.split(' ')[0]}`};
  }
  return undefined;
}

/** Makes reasons from different stages comparable: temp paths, accounts, quoted values, numbers. */
function normalise(s) {
  return s
    .replace(/\/[^\s"'`]*\/(home|project)(\/[^\s"'`,;:)]*)?/g, '<tmp>/$1$2')
    .replace(/\b\d{12}\b/g, '<account>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+\b/g, 'N');
}

async function stageRun(ctx, file, stage, preset) {
  const base = makeTemp();
  const home = join(base, 'home');
  const project = join(base, 'project');
  mkdirSync(join(home, '.aws'), {recursive: true});
  mkdirSync(project, {recursive: true});
  const settingsPath = join(project, file.target);
  const result = {file: file.name, stage, preset, tmp: ctx.opts.keep ? base : undefined, commands: []};
  try {
    copyFileSync(file.path, settingsPath);
    await resetMoto(ctx.moto.url);
    const env = cleanEnv(home);
    const common = ['--json', '--endpoint-url', ctx.moto.url, ...(stage === undefined ? [] : ['--stage', stage]), ...(preset === 'strict' ? ['--policy', 'strict'] : [])];
    for (const step of SEQUENCE) {
      const r = await runCli(ctx.opts.cli, [...step.args, ...common], {cwd: project, env, timeoutMs: ctx.opts.timeout * 1000});
      result.commands.push(record(step, r));
      if (step.label === 'setup#1') {
        try {
          result.settingsAfterSetup = readFileSync(settingsPath, 'utf8');
        } catch {
          /* deleted? */
        }
      }
    }
    const fail = judge(result.commands);
    result.clean = !fail;
    if (fail) result.failure = fail;
  } catch (e) {
    result.clean = false;
    result.failure = {label: 'survey', reason: `survey error: ${oneLine(e?.stack ?? e)}`, key: `survey error: ${normalise(oneLine(e?.message ?? e))}`};
  } finally {
    dropTemp(base, ctx.opts.keep);
  }
  return result;
}

// ---------------------------------------------------------------- main

function printSummary(report, out) {
  const w = (s = '') => process.stdout.write(`${s}\n`);
  const {files, runs} = report;
  const fmt = {};
  for (const f of files) fmt[f.format ?? 'unknown'] = (fmt[f.format ?? 'unknown'] ?? 0) + 1;
  const stages = files.reduce((n, f) => n + (f.stages?.length ?? 0), 0);
  w();
  w(`files: ${files.length} (${Object.entries(fmt).map(([k, v]) => `${k} ${v}`).join(', ')}); stages: ${stages}`);
  const unreadable = files.filter((f) => f.error);
  if (unreadable.length) {
    w(`files whose stages could not be listed: ${unreadable.length}`);
    for (const f of unreadable) w(`  ${f.name}: ${oneLine(f.error, 140)}${f.probe ? ` → wizard plan (no --stage): exit ${f.probe.exit}${f.probe.error ? `: ${oneLine(f.probe.error.message, 120)}` : ''}` : ''}`);
  }
  const noStage = files.filter((f) => !f.error && f.stages && f.stages.length === 0);
  if (noStage.length) w(`files with no stage: ${noStage.map((f) => f.name).join(', ')}`);
  const byKey = new Map();
  const cleanBy = {document: 0, strict: 0};
  const totalBy = {document: 0, strict: 0};
  const pairs = new Map();
  for (const r of runs) {
    totalBy[r.preset]++;
    if (r.clean) cleanBy[r.preset]++;
    const id = `${r.file}\u0000${r.stage}`;
    pairs.set(id, (pairs.get(id) ?? true) && r.clean);
    if (!r.clean) {
      const k = r.failure?.key ?? 'unknown';
      const e = byKey.get(k) ?? {document: 0, strict: 0, example: `${r.file} --stage ${r.stage}${r.preset === 'strict' ? ' --policy strict' : ''}`};
      e[r.preset]++;
      byKey.set(k, e);
    }
  }
  const both = [...pairs.values()].filter(Boolean).length;
  w(`stage runs: ${runs.length}; clean: document ${cleanBy.document}/${totalBy.document}, strict ${cleanBy.strict}/${totalBy.strict}, both presets ${both}/${pairs.size} stages`);
  w(`time: ${(report.ms / 1000).toFixed(1)} s${report.interrupted ? ' (INTERRUPTED: partial results)' : ''}`);
  const denials = {};
  for (const r of runs) {
    const s1 = (r.commands ?? []).find((c) => c.label === 'setup#1');
    for (const d of s1?.proof?.denialsNotHolding ?? []) denials[`${r.preset}: ${d.id}`] = (denials[`${r.preset}: ${d.id}`] ?? 0) + 1;
  }
  if (Object.keys(denials).length) w(`denials that do not hold after setup#1 (not part of "clean"): ${Object.entries(denials).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  if (byKey.size) {
    w();
    w('first failed expectation, grouped (document / strict / example):');
    const rows = [...byKey.entries()].sort((a, b) => b[1].document + b[1].strict - (a[1].document + a[1].strict));
    for (const [k, e] of rows) {
      w(`  ${String(e.document).padStart(3)} ${String(e.strict).padStart(3)}  ${oneLine(k, 170)}`);
      w(`          e.g. ${e.example}`);
    }
  }
  w();
  w(`full results: ${out}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(opts.cli)) usage(`CLI not found: ${opts.cli}`);
  const distMain = resolve(dirname(opts.cli), '../dist/main.js');
  if (!existsSync(distMain)) {
    process.stderr.write(`survey: ${distMain} is missing: build the CLI first (cd ${resolve(dirname(opts.cli), '..')} && npm run build)\n`);
    process.exit(2);
  }
  if (!existsSync(opts.folder) || !statSync(opts.folder).isDirectory()) usage(`not a folder: ${opts.folder}`);
  const out = opts.out ?? join(tmpdir(), `zappa-survey-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);

  const started = Date.now();
  const files = [];
  for (const name of readdirSync(opts.folder).sort()) {
    const path = join(opts.folder, name);
    if (!statSync(path).isFile()) continue;
    if (opts.only && !name.includes(opts.only)) continue;
    const c = classify(name);
    if (!c) {
      files.push({name, path, error: 'not a settings file name (.json/.yml/.yaml/.toml)'});
      continue;
    }
    const listed = listStages(path, c.format);
    files.push({name, path, ...c, ...listed});
  }
  const tasks = [];
  for (const f of files) for (const stage of f.stages ?? []) for (const preset of PRESETS) tasks.push({file: f, stage, preset});
  // A file whose stages cannot be listed still gets one wizard run without --stage, to see what it says.
  const probes = files.filter((f) => f.error && f.format);

  const report = {cli: opts.cli, folder: opts.folder, started: new Date(started).toISOString(), ms: 0, files: [], runs: []};
  const finish = () => {
    report.ms = Date.now() - started;
    report.files = files.map(({path, ...f}) => f);
    report.runs.sort((a, b) => (a.file === b.file ? (a.stage === b.stage ? a.preset.localeCompare(b.preset) : a._i - b._i) : a.file.localeCompare(b.file)));
    for (const r of report.runs) delete r._i;
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  };
  let interrupted = false;
  const onSignal = (sig) => {
    if (interrupted) return;
    interrupted = true;
    for (const pid of children) killGroup(pid, 'SIGKILL');
    if (!opts.keep) for (const d of tempDirs) rmSync(d, {recursive: true, force: true});
    report.interrupted = sig;
    try {
      finish();
      printSummary(report, out);
    } catch (e) {
      process.stderr.write(`survey: could not write partial results: ${e.message}\n`);
    }
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const pid of children) killGroup(pid, 'SIGKILL');
  });

  const jobs = Math.min(opts.jobs, Math.max(1, tasks.length + probes.length));
  process.stderr.write(`survey: ${files.length} files, ${tasks.length} stage runs, ${jobs} worker(s), CLI ${opts.cli}\n`);
  const motos = [];
  try {
    for (let i = 0; i < jobs; i++) motos.push(await startMoto());
  } catch (e) {
    process.stderr.write(`survey: ${e.message} (is moto_server on PATH? pip install 'moto[server]')\n`);
    for (const pid of children) killGroup(pid, 'SIGKILL');
    process.exit(2);
  }

  let next = 0;
  let done = 0;
  const order = new Map(files.map((f) => [f.name, f.stages ?? []]));
  const worker = async (moto) => {
    const ctx = {opts, moto};
    for (;;) {
      const probe = probes.shift();
      if (probe) {
        // plan only: it should refuse the file (exit 2) and change nothing.
        const base = makeTemp();
        try {
          mkdirSync(join(base, 'home/.aws'), {recursive: true});
          mkdirSync(join(base, 'project'), {recursive: true});
          copyFileSync(probe.path, join(base, 'project', probe.target));
          await resetMoto(moto.url);
          const r = await runCli(opts.cli, ['plan', '--json', '--endpoint-url', moto.url], {cwd: join(base, 'project'), env: cleanEnv(join(base, 'home')), timeoutMs: opts.timeout * 1000});
          probe.probe = record({label: 'plan (no --stage)', args: ['plan']}, r);
        } catch (e) {
          probe.probe = {error: {message: `survey error: ${e.message}`}};
        } finally {
          dropTemp(base, opts.keep);
        }
        continue;
      }
      if (next >= tasks.length || interrupted) return;
      const t = tasks[next++];
      let r;
      try {
        r = await stageRun(ctx, t.file, t.stage, t.preset);
      } catch (e) {
        r = {file: t.file.name, stage: t.stage, preset: t.preset, clean: false, failure: {label: 'survey', reason: `survey error: ${oneLine(e?.stack ?? e)}`, key: 'survey error'}};
      }
      r._i = order.get(t.file.name).indexOf(t.stage);
      report.runs.push(r);
      done++;
      process.stderr.write(`[${String(done).padStart(3)}/${tasks.length}] ${r.clean ? 'clean' : 'FAIL '} ${t.preset.padEnd(8)} ${t.file.name} --stage ${t.stage}${r.clean ? '' : `  ${oneLine(r.failure?.reason, 150)}`}\n`);
    }
  };
  await Promise.all(motos.map((m) => worker(m)));
  for (const m of motos) {
    killGroup(m.pid, 'SIGTERM');
    children.delete(m.pid);
  }
  finish();
  printSummary(report, out);
}

main().catch((e) => {
  process.stderr.write(`survey: ${e?.stack ?? e}\n`);
  for (const pid of children) killGroup(pid, 'SIGKILL');
  process.exit(1);
});
