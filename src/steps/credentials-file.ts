/**
 * Row 4: [profile] in the credentials file, with both key fields, readable by
 * its owner only (0600). The keys themselves are written by the access-key
 * step the moment AWS returns them; this step reports that write and tightens
 * the file mode. Reads and writes only the local file: no AWS call, so doctor
 * checks it without admin credentials.
 */
import {UserError} from '../errors.js';
import {drifted, missing, present, type StepDefinition} from '../engine/step.js';
import {localKey, SESSION_TOKEN_KEYS, staleSessionToken} from './local-key.js';
import {removeKeys} from '../files/ini-document.js';
import type {Check} from '../plan/types.js';
import type {StepContext} from '../engine/step.js';
import type {Edit} from '../engine/local-files.js';
import {guardProfileChange} from './profile-guard.js';

export const credentialsFileStep: StepDefinition = {
  id: 'credentials-file',
  dependsOn: ['access-key'],
  title: (d) => `[${d.profileName}] in the credentials file`,
  async check(ctx) {
    // A section the wizard did not write is changed only with the person's yes (profile-guard.ts).
    return guardProfileChange(ctx, await sectionCheck(ctx));
  },
  async apply(ctx, check) {
    if (check.state === 'blocked') throw new UserError(`Can't change [${ctx.desired.profileName}]: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    const report = ctx.files.reports.get('credentials');
    const path = ctx.files.path('credentials');
    if (ctx.run.newKey && report && report.status !== 'unchanged') {
      return {status: report.status, detail: `wrote the new key to [${ctx.desired.profileName}] in ${path} (mode ${modeText(ctx.files.mode('credentials'))})`};
    }
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (!localKey(ctx.files, ctx.desired.profileName)) {
      throw new UserError(`[${ctx.desired.profileName}] is still missing from ${path}.`, {exitCode: 1});
    }
    const token = staleSessionToken(ctx.files, ctx.desired.profileName);
    // Another run may have mended it meanwhile (its own key, at 0600): nothing is left to do then.
    if (!token && ctx.files.mode('credentials') === 0o600) return {status: 'unchanged', detail: `${path} [${ctx.desired.profileName}], mode 0600`};
    // A stale token and a loose mode are both mended by one atomic rewrite (always at 0600), made to the file as it is then.
    await ctx.files.write('credentials', removeSessionTokens(ctx.desired.profileName));
    return {status: 'updated', detail: token ? `removed ${token} from [${ctx.desired.profileName}]` : `${path} is now readable by its owner only (${modeText(ctx.files.mode('credentials'))})`};
  },
};

/** The edit that drops a session token left beside the profile's key. */
const removeSessionTokens = (profileName: string): Edit => (text) => removeKeys(text ?? '', profileName, SESSION_TOKEN_KEYS);

/** The mode as read back from the file after the write ("0600"), never assumed. */
const modeText = (mode: number | undefined) => (mode === undefined ? 'unknown' : mode.toString(8).padStart(4, '0'));

/** The section as it is: its keys, a stale token, the file's mode. */
async function sectionCheck(ctx: StepContext): Promise<Check> {
  // Whether the key works is the access-key row's question (it writes the new key here): asked once, there.
  const {profileName} = ctx.desired;
  // Made in memory before setup's first AWS write (LocalFiles.assertWritable), like every edit a row will make.
  ctx.files.expectEdit('credentials', 'credentials-file', staleSessionToken(ctx.files, profileName) ? removeSessionTokens(profileName) : undefined);
  const path = ctx.files.path('credentials');
  const local = localKey(ctx.files, profileName);
  if (!local) return {...missing(`${path} has no [${profileName}] with both key fields; will write it`), reason: 'credentials-profile-missing'};
  const token = staleSessionToken(ctx.files, profileName);
  if (token) return {...drifted(`[${profileName}] also holds ${token}, left from temporary credentials, which AWS would refuse with this key; will remove it`), reason: 'credentials-session-token'};
  const mode = ctx.files.mode('credentials');
  if (mode !== 0o600) return {...drifted(`${path} holds secret keys but is readable by others (mode ${mode?.toString(8)}); will set 0600`), reason: 'credentials-file-mode'};
  return present(`${path} [${profileName}], mode 0600`);
}
