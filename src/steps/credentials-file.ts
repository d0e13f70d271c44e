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

export const credentialsFileStep: StepDefinition = {
  id: 'credentials-file',
  dependsOn: ['access-key'],
  title: (d) => `[${d.profileName}] in the credentials file`,
  async check(ctx) {
    // Whether the key works is the access-key row's question (it writes the new key here): asked once, there.
    const {profileName} = ctx.desired;
    const path = ctx.files.path('credentials');
    const local = localKey(ctx.files, profileName);
    if (!local) return {...missing(`${path} has no [${profileName}] with both key fields; will write it`), reason: 'credentials-profile-missing'};
    const token = staleSessionToken(ctx.files, profileName);
    if (token) return {...drifted(`[${profileName}] also holds ${token}, left from temporary credentials, which AWS would refuse with this key; will remove it`), reason: 'credentials-session-token'};
    const mode = ctx.files.mode('credentials');
    if (mode !== 0o600) return {...drifted(`${path} holds secret keys but is readable by others (mode ${mode?.toString(8)}); will set 0600`), reason: 'credentials-file-mode'};
    return present(`${path} [${profileName}], mode 0600`);
  },
  async apply(ctx, check) {
    const report = ctx.files.reports.get('credentials');
    const path = ctx.files.path('credentials');
    if (ctx.run.newKey && report && report.status !== 'unchanged') {
      return {status: report.status, detail: `wrote the new key to [${ctx.desired.profileName}] in ${path} (mode 0600)`};
    }
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (!localKey(ctx.files, ctx.desired.profileName)) {
      throw new UserError(`[${ctx.desired.profileName}] is still missing from ${path}.`, {exitCode: 1});
    }
    // A stale token and a loose mode are both mended by one atomic rewrite (always at 0600).
    await ctx.files.assertWritable('credentials');
    const token = staleSessionToken(ctx.files, ctx.desired.profileName);
    await ctx.files.write('credentials', removeKeys(ctx.files.text('credentials') ?? '', ctx.desired.profileName, SESSION_TOKEN_KEYS));
    return {status: 'updated', detail: token ? `removed ${token} from [${ctx.desired.profileName}]` : `${path} is now readable by its owner only (0600)`};
  },
};
