// Turns a terminal capture with colours (`tmux capture-pane -e -p`) into an
// SVG that ImageMagick renders to the PNG the README shows:
//   node docs/render-screenshot.mjs capture.ansi > docs/checklist.svg
//   convert -density 144 docs/checklist.svg docs/checklist.png
// Only the SGR codes the wizard and Inquirer use are understood: reset, bold,
// dim, the eight foreground colours and the defaults.
import {readFileSync} from 'node:fs';

const COLORS = {30: '#3b3b3b', 31: '#f14c4c', 32: '#23d18b', 33: '#e5e510', 34: '#3b8eea', 35: '#d670d6', 36: '#29b8db', 37: '#e5e5e5'};
const FG = '#d4d4d4';
const BG = '#1e1e1e';
const CELL = {w: 8.43, h: 18};
const PAD = 16;

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Splits one line into runs of text with the style in force. */
function runs(line) {
  const out = [];
  const style = {fg: FG, bold: false, dim: false};
  for (const part of line.split(/(\u001b\[[\d;]*m)/)) {
    const sgr = /^\u001b\[([\d;]*)m$/.exec(part);
    if (!sgr) {
      if (part) out.push({text: part, ...style});
      continue;
    }
    for (const code of (sgr[1] || '0').split(';').map(Number)) {
      if (code === 0) Object.assign(style, {fg: FG, bold: false, dim: false});
      else if (code === 1) style.bold = true;
      else if (code === 2) style.dim = true;
      else if (code === 22) Object.assign(style, {bold: false, dim: false});
      else if (code === 39) style.fg = FG;
      else if (COLORS[code]) style.fg = COLORS[code];
    }
  }
  return out;
}

const lines = readFileSync(process.argv[2], 'utf8').replace(/\s+$/, '').split('\n').filter((l) => !/^EXIT=\d+/.test(l));
const cols = Math.max(80, ...lines.map((l) => l.replace(/\u001b\[[\d;]*m/g, '').length));
const width = Math.ceil(cols * CELL.w + 2 * PAD);
const height = Math.ceil(lines.length * CELL.h + 2 * PAD);
const body = lines.map((line, i) => {
  // One tspan per run, placed by column so wide glyphs never shift the rest.
  let col = 0;
  const spans = runs(line).map((r) => {
    const x = (PAD + col * CELL.w).toFixed(1);
    col += [...r.text].length;
    const attrs = [`x="${x}"`, `fill="${r.fg}"`, r.bold ? 'font-weight="bold"' : '', r.dim ? 'fill-opacity="0.6"' : ''].filter(Boolean).join(' ');
    return `<tspan ${attrs}>${escapeXml(r.text)}</tspan>`;
  }).join('');
  return `<text y="${(PAD + (i + 0.8) * CELL.h).toFixed(1)}" xml:space="preserve">${spans}</text>`;
}).join('\n');

process.stdout.write(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans Mono" font-size="14" stroke="none">
<rect width="100%" height="100%" rx="8" fill="${BG}"/>
${body}
</svg>
`);
