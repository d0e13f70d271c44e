/**
 * Checks of the two AWS shared files for the deploy profile. Offline and
 * pure: the texts come from LocalFiles, already validated by the parser.
 *
 * The two files name sections differently, and mixing them up is the most
 * common mistake: the credentials file says `[serverless]`, the config file
 * `[profile serverless]` (only `default` is bare in both).
 */
import {getSection, listSections} from '../../files/ini-document.js';
import {configSectionFor} from '../../plan/desired.js';
import {Collector, type CheckResult} from './finding.js';

/** How doctor chose the profile: --profile, the stage's profile_name, or the user name. */
export type ProfileSource = 'flag' | 'settings' | 'user';

export interface ProfileFileFacts {
  /** The profile Zappa deploys with. */
  profile: string;
  profileSource: ProfileSource;
  credentials: {path: string; text?: string; mode?: number};
  config: {path: string; text?: string};
  /** The setup command, with the person's flags. */
  setup: string;
}

const KEY_FIELDS = ['aws_access_key_id', 'aws_secret_access_key'] as const;

export function checkProfileFiles(facts: ProfileFileFacts): CheckResult {
  const out = new Collector();
  checkCredentialsFile(facts, out);
  checkConfigFile(facts, out);
  return out;
}

function sourceNote(facts: ProfileFileFacts): string {
  if (facts.profileSource === 'settings') return ' (the profile_name in zappa_settings.json)';
  if (facts.profileSource === 'flag') return ' (from --profile)';
  return '';
}

function checkCredentialsFile(facts: ProfileFileFacts, out: Collector): void {
  const {profile, credentials: file, setup} = facts;
  if (file.text === undefined) {
    out.add({
      id: 'credentials-file-missing', where: file.path,
      problem: `does not exist, so profile "${profile}" has no credentials and Zappa stops with "Unable to locate credentials"`,
      fix: setup,
    });
    return;
  }
  const sections = listSections(file.text);
  const prefixed = `profile ${profile}`;
  if (profile !== 'default' && sections.includes(prefixed)) {
    out.add({
      id: 'credentials-section-prefixed', where: `${file.path} [${prefixed}]`,
      problem: `the credentials file names profiles without the "profile " prefix, so this section is a profile called "${prefixed}", not "${profile}"`,
      fix: sections.includes(profile) ? `delete the [${prefixed}] section; [${profile}] is the one in use` : `${setup} (writes [${profile}]), then delete [${prefixed}]`,
    });
  }
  const section = getSection(file.text, profile);
  if (!section) {
    if (!sections.includes(prefixed)) {
      const known = sections.length ? `; it has ${sections.map((s) => `[${s}]`).join(', ')}` : '; it has no profiles';
      out.add({
        id: 'profile-not-found', where: file.path,
        problem: `has no [${profile}] section for profile "${profile}"${sourceNote(facts)}${known}`,
        fix: setup,
      });
    }
    return;
  }
  const lacking = KEY_FIELDS.filter((k) => !section[k]?.trim());
  if (lacking.length) {
    out.add({
      id: 'profile-no-keys', where: `${file.path} [${profile}]`,
      problem: `has no ${lacking.join(' or ')}, so the profile has no credentials`,
      fix: setup,
    });
  }
  if (file.mode !== undefined && (file.mode & 0o077) !== 0) {
    out.add({
      id: 'credentials-file-mode', where: file.path,
      problem: `holds secret keys but other users may read it (mode ${file.mode.toString(8).padStart(3, '0')})`,
      fix: `${setup} (sets mode 600), or chmod 600 ${file.path}`,
    });
  }
}

function checkConfigFile(facts: ProfileFileFacts, out: Collector): void {
  const {profile, config: file, setup} = facts;
  const wanted = configSectionFor(profile);
  const sections = file.text === undefined ? [] : listSections(file.text);
  const hasWanted = sections.includes(wanted);
  if (wanted !== profile && sections.includes(profile)) {
    out.add({
      id: 'config-section-unprefixed', where: `${file.path} [${profile}]`,
      problem: `is written without the "profile " prefix; in the config file the AWS CLI, the SDKs and Zappa only read [${wanted}], so its settings are ignored`,
      fix: hasWanted ? `delete the [${profile}] section; [${wanted}] is the one in use` : `${setup} (adds [${wanted}]), then delete [${profile}]`,
    });
    return;
  }
  if (!hasWanted) {
    out.add({
      id: 'config-profile-missing', where: file.path,
      problem: file.text === undefined
        ? `does not exist, so profile "${profile}" has no region or output format`
        : `has no [${wanted}] section, so profile "${profile}" has no region or output format`,
      fix: setup,
    });
  }
}
