/**
 * What every settings format (JSON, TOML, YAML) offers the wizard: read the
 * stages as Zappa's own reader would, and set a few scalar keys in one stage
 * while leaving every other byte of the file alone. Pure text in, text out.
 */

/** The file as Zappa loads it: stage name → that stage's own keys (before `extends`). */
export type Stages = Record<string, Record<string, unknown>>;

/** The only values the wizard ever writes: names, regions, booleans. */
export type Scalar = string | boolean | number;

/**
 * A place where Zappa's reader (json.load, tomllib, yaml.safe_load) would
 * refuse the file, or a shape that is not a settings file. 1-based.
 */
export class SettingsParseError extends Error {
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'SettingsParseError';
  }
}

/** One of Zappa's settings formats. */
export interface SettingsFormat {
  readonly name: 'json' | 'toml' | 'yaml';
  /**
   * The stages, as Zappa's reader for the format gives them. Throws
   * SettingsParseError when the text does not parse or the top level is not
   * a table/mapping of stage tables/mappings.
   */
  parse(text: string): Stages;
  /**
   * Sets `entries` in `stage`'s own keys: an existing key keeps its place (and
   * its quoting style where it has one) and is rewritten only when its value
   * differs; new keys go after the stage's last key in the stage's own
   * indentation; a stage the file lacks is added at the end. Everything else
   * (comments, other stages, key order, indentation, line endings, anchors)
   * stays byte for byte. Idempotent. Throws SettingsParseError, or an Error
   * when the stage is written in a way it cannot edit safely.
   */
  setStageKeys(text: string, stage: string, entries: Record<string, Scalar>): string;
}
