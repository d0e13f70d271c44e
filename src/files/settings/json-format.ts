/** zappa_settings.json through the common format interface (the editor is settings-document.ts). */
import {parseSettings, setStageKeys} from '../settings-document.js';
import {lineColumnOf, tooDeepAt, tooDeepReason} from '../json-text.js';
import {SettingsParseError, type SettingsFormat} from './format.js';

export const jsonFormat: SettingsFormat = {
  name: 'json',
  // The parser recurses: a file nested thousands deep is refused, with its place, before it runs out of stack.
  parse: (text) => {
    const deep = tooDeepAt(text);
    if (deep !== undefined) {
      const {line, column} = lineColumnOf(text, deep);
      throw new SettingsParseError(line, column, tooDeepReason());
    }
    return parseSettings(text);
  },
  setStageKeys,
};
