import type {
  CheckboxQuestion, ConfirmQuestion, InputQuestion, KeyQuestion, PasswordQuestion, Prompter, SelectQuestion,
} from '../../src/app/interactive/prompter.js';

/** Press Enter: take the question's default. */
export const ENTER = Symbol('enter');

/** One expected question and how to answer it. */
export interface Expectation {
  kind: 'input' | 'select' | 'checkbox' | 'confirm' | 'password' | 'keys';
  /** Part of the question's message. */
  message: string | RegExp;
  /**
   * Answers typed in order: each is validated as the real prompt would, and a
   * refused answer is recorded in `refusals` before the next one is tried.
   */
  answers: Array<string | boolean | typeof ENTER>;
}

/** What the script saw: every question, the choices offered, the defaults, the refusals. */
export interface Asked {
  kind: Expectation['kind'];
  message: string;
  default?: string | boolean;
  choices?: string[];
  refusals: string[];
  answer: string | boolean;
}

/**
 * A Prompter that follows a script and fails on any question it did not
 * expect, or on a script left unfinished (call `done()`).
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: Asked[] = [];
  private readonly script: Expectation[];

  constructor(script: Expectation[]) {
    this.script = [...script];
  }

  /** Throws when expected questions were never asked. */
  done(): void {
    if (this.script.length) throw new Error(`Questions never asked: ${this.script.map((e) => String(e.message)).join(', ')}`);
  }

  private next(kind: Expectation['kind'], message: string): Expectation {
    const expected = this.script.shift();
    const matches = expected && expected.kind === kind &&
      (typeof expected.message === 'string' ? message.includes(expected.message) : expected.message.test(message));
    if (!matches) throw new Error(`Unexpected ${kind} question "${message}"; expected ${expected ? `${expected.kind} "${String(expected.message)}"` : 'no more questions'}`);
    return expected;
  }

  private async answer(kind: Expectation['kind'], q: {message: string; validate?: InputQuestion['validate']}, fallback: string | boolean | undefined, extra: Partial<Asked> = {}): Promise<string | boolean> {
    const expected = this.next(kind, q.message);
    const record: Asked = {kind, message: q.message, default: fallback, refusals: [], answer: '', ...extra};
    this.asked.push(record);
    for (const given of expected.answers) {
      const value = given === ENTER ? fallback ?? '' : given;
      const verdict = q.validate && typeof value === 'string' ? await q.validate(value) : true;
      if (verdict === true) {
        record.answer = value;
        return value;
      }
      record.refusals.push(verdict);
    }
    throw new Error(`Every scripted answer to "${q.message}" was refused: ${record.refusals.join(' | ')}`);
  }

  async input(q: InputQuestion): Promise<string> {
    return String(await this.answer('input', q, q.default));
  }

  async select<T extends string>(q: SelectQuestion<T>): Promise<T> {
    const choices = q.choices.map((c) => c.value);
    const value = await this.answer('select', {message: q.message}, q.default ?? choices[0], {choices: q.choices.map((c) => c.name)});
    if (!choices.includes(value as T)) throw new Error(`"${String(value)}" is not a choice of "${q.message}": ${choices.join(', ')}`);
    return value as T;
  }

  /** A checkbox answer is the ticked values joined by commas; ENTER takes the ones ticked to begin with. */
  async checkbox<T extends string>(q: CheckboxQuestion<T>): Promise<T[]> {
    const values = q.choices.map((c) => c.value);
    const ticked = q.choices.filter((c) => c.checked).map((c) => c.value).join(',');
    const validate = (answer: string) => (q.validate ? q.validate(answer ? (answer.split(',') as T[]) : []) : true);
    const value = String(await this.answer('checkbox', {message: q.message, validate}, ticked, {choices: q.choices.map((c) => c.name)}));
    const picked = value ? (value.split(',') as T[]) : [];
    for (const v of picked) if (!values.includes(v)) throw new Error(`"${v}" is not a choice of "${q.message}": ${values.join(', ')}`);
    return picked;
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    return Boolean(await this.answer('confirm', q, q.default));
  }

  /** A key answer is the key pressed (y, n, d…); ENTER takes the default key. */
  async keys<T extends string>(q: KeyQuestion<T>): Promise<T> {
    const key = String(await this.answer('keys', {message: q.message}, q.default, {choices: q.choices.map((c) => `${c.key}) ${c.name}`)}));
    const choice = q.choices.find((c) => c.key === key);
    if (!choice) throw new Error(`"${key}" is not a key of "${q.message}": ${q.choices.map((c) => c.key).join(', ')}`);
    return choice.value;
  }

  async password(q: PasswordQuestion): Promise<string> {
    return String(await this.answer('password', q, undefined));
  }
}
