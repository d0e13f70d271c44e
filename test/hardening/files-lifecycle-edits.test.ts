/**
 * Issue 16, item 3, for teardown and rotate-key: a profile the person saves
 * into the credentials or config file while the command is under way (here:
 * while AWS answers a call, through the fault proxy) survives the command's
 * write, and so does the command's own edit. A section teardown judged
 * to be the wizard's and that changes meanwhile is not removed: the run
 * stops and says the file changed. Against moto with the built CLI.
 */
import {appendFileSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseIni} from '../../src/files/ini-document.js';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {eachTestWithSandboxAndProxy, keysOf, setupDone, wizardJson} from '../lifecycle/lifecycle-helpers.js';

interface Report { ok: boolean; steps: {id: string; status: string; detail: string}[]; error?: {message: string} }

const ADDED = '\n[added-meanwhile]\naws_access_key_id = AKIAADDEDMEANWHILE01\naws_secret_access_key = added-secret\n';
const ADDED_CONFIG = '\n[profile added-meanwhile]\nregion = eu-west-3\n';

describe('an edit saved while teardown or rotate-key runs', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  /** Appends the person's profiles when `action` goes to AWS: after the command read the files, before it writes them. */
  const saveMeanwhile = (action: string, credentials = ADDED, config = ADDED_CONFIG) => {
    let saved = false;
    proxy.setFault((call) => {
      if (call.action === action && !saved) {
        saved = true;
        appendFileSync(sb.credentialsPath, credentials);
        if (config) appendFileSync(sb.configPath, config);
      }
      return undefined;
    });
  };

  it('teardown removes its sections and keeps the profiles added meanwhile', async () => {
    await setupDone(sb);
    saveMeanwhile('DeleteUser');
    const run = await wizardJson<Report>(sb, ['teardown', '--yes'], proxy.url);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const credentials = parseIni(readFileSync(sb.credentialsPath, 'utf8'));
    const config = parseIni(readFileSync(sb.configPath, 'utf8'));
    expect(credentials.has('serverless')).toBe(false);
    expect(config.has('profile serverless')).toBe(false);
    expect(credentials.get('added-meanwhile')).toEqual({aws_access_key_id: 'AKIAADDEDMEANWHILE01', aws_secret_access_key: 'added-secret'});
    expect(config.get('profile added-meanwhile')).toEqual({region: 'eu-west-3'});
  });

  it('teardown leaves a section the person changed meanwhile, and says the file changed', async () => {
    await setupDone(sb);
    // The person puts another key into [serverless] itself while teardown deletes the user.
    saveMeanwhile('DeleteUser', 'aws_session_token = typed-meanwhile\n', '');
    const run = await wizardJson<Report>(sb, ['teardown', '--yes'], proxy.url);
    expect(run.code).toBe(1);
    const text = readFileSync(sb.credentialsPath, 'utf8');
    expect(parseIni(text).get('serverless')?.aws_session_token).toBe('typed-meanwhile');
    const failed = run.json.steps.find((s) => s.status === 'failed');
    expect(failed?.detail ?? run.stdout).toContain(`${sb.credentialsPath} changed while the wizard ran`);
  });

  it('rotate-key writes the new key and keeps the profiles added meanwhile', async () => {
    await setupDone(sb);
    saveMeanwhile('CreateAccessKey');
    const run = await wizardJson<Report>(sb, ['rotate-key', '--yes'], proxy.url);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const credentials = parseIni(readFileSync(sb.credentialsPath, 'utf8'));
    const [key, ...others] = await keysOf(sb);
    expect(others).toEqual([]);
    expect(credentials.get('serverless')?.aws_access_key_id).toBe(key!.id);
    expect(credentials.get('added-meanwhile')).toEqual({aws_access_key_id: 'AKIAADDEDMEANWHILE01', aws_secret_access_key: 'added-secret'});
    expect(parseIni(readFileSync(sb.configPath, 'utf8')).get('profile added-meanwhile')).toEqual({region: 'eu-west-3'});
  });
});
