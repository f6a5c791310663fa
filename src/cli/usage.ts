// `coldstart --help`: the usage lines and one line per flag, generated from the settings table.
import { FLAG_ROWS, allowedText, defaultText, type Command, type SettingRow } from '../config/settings-table.js';

const WIDTH = 78;

function flagUsage(row: SettingRow): string {
  if (row.kind.type === 'switch') return `[--${row.flag}]`;
  const value = row.kind.type === 'choice' ? row.kind.values.join('|') : (row.placeholder ?? 'VALUE');
  return `[--${row.flag} ${value}]`;
}

/** One command's usage, wrapped under its name. */
function commandUsage(command: Command, head: string): string {
  const start = `  coldstart ${command.padEnd(7)}${head}`;
  const indent = ' '.repeat(`  coldstart ${command.padEnd(7)}`.length);
  const lines = [start.trimEnd()];
  for (const part of FLAG_ROWS.filter((r) => r.commands.includes(command)).map(flagUsage)) {
    const last = lines[lines.length - 1]!;
    if (last.length + 1 + part.length > WIDTH) lines.push(indent + part);
    else lines[lines.length - 1] = last.length <= indent.length ? last.padEnd(indent.length) + part : `${last} ${part}`;
  }
  return lines.join('\n');
}

/** The facts of a flag: what it takes and its default. */
function facts(r: SettingRow): string {
  const parts = r.kind.type === 'text' || r.kind.type === 'switch' ? [] : [allowedText(r)];
  if (r.kind.type !== 'switch' && (r.default !== undefined || r.defaultText !== undefined)) parts.push(`default ${defaultText(r)}`);
  return parts.length ? `(${parts.join('; ')})` : '';
}

/** Words wrapped to the width, every line after the first indented. */
function wrap(words: string, indent: number): string[] {
  const lines = [''];
  for (const word of words.split(' ')) {
    const last = lines[lines.length - 1]!;
    if (last && indent + last.length + 1 + word.length > WIDTH) lines.push(word);
    else lines[lines.length - 1] = last ? `${last} ${word}` : word;
  }
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

/** The whole `--help` text. */
export function usageText(): string {
  const options = FLAG_ROWS.flatMap((r) => {
    const name = r.kind.type === 'switch' ? `--${r.flag}` : `--${r.flag} ${r.placeholder ?? 'WORD'}`;
    return wrap(`${r.description} ${facts(r)}`.trim(), 30).map((l, i) => (i === 0 ? `  ${name.padEnd(28)}${l}` : l));
  });
  return ['usage:', commandUsage('start', ''), commandUsage('invoke', 'FUNCTION'), '  coldstart --help', '', 'options:', ...options].join('\n');
}
