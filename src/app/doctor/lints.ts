/**
 * What doctor checks that is not a row of the end state: sections the AWS
 * tools never read because they are named the other file's way. The
 * credentials file says `[serverless]`, the config file `[profile serverless]`
 * (only `default` is bare in both). Such a section is harmless once the row's
 * own section exists, so these are warnings; a missing section is the row's
 * problem. Offline and pure.
 */
import {listSections} from '../../files/ini-document.js';
import type {Finding} from '../../plan/types.js';

export interface ProfileFileTexts {
  profile: string;
  /** The config-file section of the profile (`profile x`, or `default`). */
  configSection: string;
  credentials: {path: string; text?: string};
  config: {path: string; text?: string};
}

export function sectionNameLints(facts: ProfileFileTexts): Finding[] {
  const {profile, configSection} = facts;
  const found: Finding[] = [];
  const credentialSections = facts.credentials.text === undefined ? [] : listSections(facts.credentials.text);
  const prefixed = `profile ${profile}`;
  if (profile !== 'default' && credentialSections.includes(prefixed)) {
    found.push({
      id: 'credentials-section-prefixed', severity: 'warning', where: `${facts.credentials.path} [${prefixed}]`,
      problem: `the credentials file names profiles without the "profile " prefix, so this section is a profile called "${prefixed}", not "${profile}"`,
      fix: `delete the [${prefixed}] section; [${profile}] is the one in use`,
    });
  }
  const configSections = facts.config.text === undefined ? [] : listSections(facts.config.text);
  if (configSection !== profile && configSections.includes(profile)) {
    found.push({
      id: 'config-section-unprefixed', severity: 'warning', where: `${facts.config.path} [${profile}]`,
      problem: `is written without the "profile " prefix; in the config file the AWS CLI, the SDKs and Zappa only read [${configSection}], so its settings are ignored`,
      fix: `delete the [${profile}] section; [${configSection}] is the one in use`,
    });
  }
  return found;
}
