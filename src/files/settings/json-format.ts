/** zappa_settings.json through the common format interface (the editor is settings-document.ts). */
import {parseSettings, setStageKeys} from '../settings-document.js';
import type {SettingsFormat} from './format.js';

export const jsonFormat: SettingsFormat = {
  name: 'json',
  parse: parseSettings,
  setStageKeys,
};
