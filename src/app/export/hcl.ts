/**
 * The little HCL the Terraform export needs, written as `terraform fmt`
 * writes it: two-space indents, the `=` of consecutive one-line attributes
 * aligned, a blank line before nested blocks. Pure.
 */

/** One line of a block: an attribute (its value already HCL), a nested block, or a blank line. */
export type HclLine =
  | {attr: string; value: string}
  | {block: string; body: HclLine[]}
  | {blank: true};

/** A quoted HCL string: JSON's escapes, and Terraform's template openers doubled so they stay literal. */
export function hclString(s: string): string {
  return escapeTemplate(JSON.stringify(s));
}

/** `${` and `%{` are template syntax in HCL strings and heredocs: `$${` and `%%{` are the literal text. */
export function escapeTemplate(s: string): string {
  // Function replacements: in a replacement string `$$` would itself mean one `$`.
  return s.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');
}

/** A list of HCL expressions on one line. */
export const hclList = (items: string[]): string => `[${items.join(', ')}]`;

/** A map of string values (each rendered by `render`, a quoted string by default), as a multi-line value (fmt aligns its keys too). */
export function hclMap(entries: Record<string, string>, indent: number, render: (value: string) => string = hclString): string {
  const keys = Object.keys(entries).map((k) => (/^[A-Za-z_][\w-]*$/.test(k) ? k : hclString(k)));
  const width = Math.max(...keys.map((k) => k.length));
  const pad = ' '.repeat(indent + 2);
  const lines = Object.values(entries).map((v, i) => `${pad}${keys[i]!.padEnd(width)} = ${render(v)}`);
  return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
}

/** JSON as an indented heredoc value (`<<-EOT`), with `${…}` left as the interpolations the caller put in. */
export function heredoc(text: string, indent: number): string {
  const pad = ' '.repeat(indent + 2);
  return `<<-EOT\n${text.split('\n').map((l) => `${pad}${l}`).join('\n')}\n${' '.repeat(indent)}EOT`;
}

export function hclBlock(header: string, body: HclLine[], indent = 0): string {
  if (!body.length) return `${' '.repeat(indent)}${header} {}\n`;
  return `${' '.repeat(indent)}${header} {\n${bodyText(body, indent + 2)}${' '.repeat(indent)}}\n`;
}

function bodyText(body: HclLine[], indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  // fmt aligns the `=` of each run of one-line (or heredoc) attributes; a blank line, a block or a
  // multi-line object ends the run, and the object's own `=` is not padded.
  let run: {attr: string; value: string}[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map((a) => a.attr.length));
    for (const a of run) out += `${pad}${a.attr.padEnd(width)} = ${a.value}\n`;
    run = [];
  };
  for (const line of body) {
    if ('attr' in line && (!line.value.includes('\n') || line.value.startsWith('<<'))) {
      run.push(line);
      continue;
    }
    flush();
    if ('attr' in line) out += `${pad}${line.attr} = ${line.value}\n`;
    else out += 'blank' in line ? '\n' : hclBlock(line.block, line.body, indent);
  }
  flush();
  return out;
}
