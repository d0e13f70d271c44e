/**
 * The questions the walk-through asks, behind a small interface so the flow
 * can be driven by a script in tests. The real one is @inquirer/prompts:
 * it copes with text and Enter arriving in one burst (paste, tmux), which
 * Ink's text inputs do not, and it throws ExitPromptError on Ctrl-C.
 */
import {checkbox, confirm, expand, input, password, search, select} from '@inquirer/prompts';
import {wrapText} from '../../ui/text.js';

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
  /** In a filterable list: shown whatever is typed (the way out, e.g. "Another region"). */
  alwaysShown?: boolean;
}

export interface SelectQuestion<T extends string> {
  message: string;
  choices: ReadonlyArray<SelectChoice<T>>;
  /** The choice highlighted first, so Enter picks it. */
  default?: T;
  pageSize?: number;
  /** Typing narrows the list to the choices whose name or value contains the text. */
  filterable?: boolean;
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

/** One key per answer, listed under the question; Enter alone answers `default`. */
export interface KeyQuestion<T extends string> {
  message: string;
  choices: ReadonlyArray<{key: string; value: T; name: string}>;
  /** The key Enter alone stands for. */
  default: string;
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
  /** A choice by key (y, n, d…), for a question that can also show more before it is answered. */
  keys<T extends string>(question: KeyQuestion<T>): Promise<T>;
  /** Typed input that is not echoed (MFA codes). */
  password(question: PasswordQuestion): Promise<string>;
}

/** True for the error every prompter throws when the person presses Ctrl-C. */
export function isPromptCancel(err: unknown): boolean {
  const name = (err as {name?: string})?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}

/** A key Inquirer's expand prompt accepts: one letter (h is its own) or digit. */
type ExpandKey = Parameters<typeof expand>[0]['choices'][number] extends infer C ? C extends {key: infer K} ? K : never : never;

/**
 * Inquirer breaks a line that is too wide wherever the width ends, inside a
 * word if need be; wrapped here first, at spaces, a message keeps its words
 * whole (continuation lines under the text, past the "? ").
 */
export function fitMessage(message: string, columns = process.stdout.columns ?? 80): string {
  return wrapText(message, Math.max(20, columns - 3)).join('\n  ');
}

/** A choice's description, shown under the list, wrapped at spaces to the terminal. */
function fitChoice<C extends {description?: string}>(choice: C, columns = process.stdout.columns ?? 80): C {
  return choice.description ? {...choice, description: wrapText(choice.description, Math.max(20, columns - 1)).join('\n')} : {...choice};
}

/** The choices matching what was typed (name or value, any case), the always-shown ones whatever it is. */
export function filterChoices<T extends string>(choices: ReadonlyArray<SelectChoice<T>>, term: string | undefined): Array<SelectChoice<T>> {
  const wanted = (term ?? '').trim().toLowerCase();
  return choices.filter((c) => !wanted || c.alwaysShown || c.name.toLowerCase().includes(wanted) || c.value.toLowerCase().includes(wanted));
}

function filteredSelect<T extends string>(q: SelectQuestion<T>): Promise<T> {
  const choices = q.choices.map((c) => fitChoice(c));
  return search<T>({
    message: fitMessage(q.message), default: q.default, pageSize: q.pageSize ?? 8,
    source: (term) => filterChoices(choices, term).map(({alwaysShown: _shown, ...c}) => c),
    // The list can be narrowed by typing: the help line under it says so.
    theme: {style: {keysHelpTip: (keys: Array<[string, string]>) => [['type', 'to filter'], ...keys].map(([key, action]) => `${key} ${action}`).join(' • ')}},
  });
}

/** The terminal prompter. */
export function inquirerPrompter(): Prompter {
  return {
    input: (q) => input({message: fitMessage(q.message), default: q.default, validate: q.validate}),
    select: <T extends string>(q: SelectQuestion<T>) => (q.filterable
      ? filteredSelect(q)
      : select<T>({message: fitMessage(q.message), choices: q.choices.map((c) => fitChoice(c)), default: q.default, pageSize: q.pageSize ?? 8})),
    checkbox: <T extends string>(q: CheckboxQuestion<T>) =>
      checkbox<T>({
        message: fitMessage(q.message), choices: q.choices.map((c) => fitChoice(c)), pageSize: 10,
        ...(q.validate ? {validate: (items: ReadonlyArray<{value: T}>) => q.validate!(items.map((i) => i.value))} : {}),
      }),
    confirm: (q) => confirm({message: fitMessage(q.message), default: q.default}),
    // Listed at once (expanded): the keys and what they do are on screen without asking for help first.
    keys: <T extends string>(q: KeyQuestion<T>) =>
      expand<T>({message: fitMessage(q.message), choices: q.choices.map((c) => ({...c, key: c.key as ExpandKey})), default: q.default as ExpandKey, expanded: true}),
    // No Ctrl-T reveal: what is typed here (secret keys, MFA codes) is never shown.
    password: (q) => password({message: fitMessage(q.message), mask: '*', toggleMask: false, validate: q.validate}),
  };
}
