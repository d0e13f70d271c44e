/**
 * Which settings file a project has, and which format reads it, the way the
 * Zappa CLI decides: zappa_settings.json, else .toml, else .yml, else .yaml;
 * a file named with --settings is read by its extension (JSON otherwise).
 */
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import type {SettingsFormat} from './format.js';
import {jsonFormat} from './json-format.js';
import {tomlFormat} from './toml-format.js';
import {yamlFormat} from './yaml-format.js';

/** Zappa's order of preference when several are present. */
export const SETTINGS_FILE_NAMES = ['zappa_settings.json', 'zappa_settings.toml', 'zappa_settings.yml', 'zappa_settings.yaml'] as const;

/** The first of Zappa's names present in `dir`, else zappa_settings.json (which then "does not exist"). */
export function findSettingsFile(dir: string, exists: (path: string) => boolean = existsSync): string {
  return SETTINGS_FILE_NAMES.find((name) => exists(join(dir, name))) ?? SETTINGS_FILE_NAMES[0];
}

export function formatOf(path: string): SettingsFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.toml')) return tomlFormat;
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return yamlFormat;
  return jsonFormat;
}

export {SettingsParseError, type Scalar, type SettingsFormat, type Stages} from './format.js';
