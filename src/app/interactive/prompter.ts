/**
 * The questions the walk-through asks, behind a small interface so the flow
 * can be driven by a script in tests. The real one is @inquirer/prompts:
 * it copes with text and Enter arriving in one burst (paste, tmux), which
 * Ink's text inputs do not, and it throws ExitPromptError on Ctrl-C.
 */
import {checkbox, confirm, input, password, select} from '@inquirer/prompts';

/** Inquirer's convention: true, or a sentence saying what is wrong. */
export type Validate = (value: string) => true | string | Promise<true | string>;

export interface InputQuestion {
  message: string;
  /** What Enter alone answers. */
  default?: string;
  validate?: Validate;
}

export interface SelectChoice<T extends string> {
  value: T;
  /** The text of the choice in the list. */
  name: string;
  /** Shown under the list while this choice is highlighted. */
  description?: string;
  /** Shown as the answer once chosen (default: name). */
  short?: string;
}

export interface SelectQuestion<T extends string> {
  message: string;
  choices: ReadonlyArray<SelectChoice<T>>;
  /** The choice highlighted first, so Enter picks it. */
  default?: T;
  pageSize?: number;
}

export interface CheckboxQuestion<T extends string> {
  message: string;
  /** `checked` choices are ticked to begin with, so Enter takes them. */
  choices: ReadonlyArray<SelectChoice<T> & {checked?: boolean}>;
  /** Inquirer's convention, over the ticked values. */
  validate?: (values: readonly T[]) => true | string;
}

export interface ConfirmQuestion {
  message: string;
  default: boolean;
}

export interface PasswordQuestion {
  message: string;
  validate?: Validate;
}

/** Asks one question at a time; every method rejects with ExitPromptError on Ctrl-C. */
export interface Prompter {
  input(question: InputQuestion): Promise<string>;
  select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  /** Several answers at once (space ticks, Enter confirms). */
  checkbox<T extends string>(question: CheckboxQuestion<T>): Promise<T[]>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
  /** Typed input that is not echoed (MFA codes). */
  password(question: PasswordQuestion): Promise<string>;
}

/** True for the error every prompter throws when the person presses Ctrl-C. */
export function isPromptCancel(err: unknown): boolean {
  const name = (err as {name?: string})?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}

/** The terminal prompter. */
export function inquirerPrompter(): Prompter {
  return {
    input: (q) => input({message: q.message, default: q.default, validate: q.validate}),
    select: <T extends string>(q: SelectQuestion<T>) =>
      select<T>({message: q.message, choices: q.choices.map((c) => ({...c})), default: q.default, pageSize: q.pageSize ?? 8}),
    checkbox: <T extends string>(q: CheckboxQuestion<T>) =>
      checkbox<T>({
        message: q.message, choices: q.choices.map((c) => ({...c})), pageSize: 10,
        ...(q.validate ? {validate: (items: ReadonlyArray<{value: T}>) => q.validate!(items.map((i) => i.value))} : {}),
      }),
    confirm: (q) => confirm({message: q.message, default: q.default}),
    // No Ctrl-T reveal: what is typed here (secret keys, MFA codes) is never shown.
    password: (q) => password({message: q.message, mask: '*', toggleMask: false, validate: q.validate}),
  };
}
