// docs/settings.md, generated from the settings table (scripts/settings-docs.mjs writes it; a test
// checks it is in sync).
import { DEFAULT_MODEL } from '../model/defaults.js';
import { SETTINGS, allowedText, defaultText, type SettingRow } from './settings-table.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function row(r: SettingRow): string {
  const flag = r.flag ? `\`--${r.flag}\`` : '—';
  const key = r.yaml ? `\`${r.key}\`` : r.overrides ? `(\`${r.overrides}\`)` : '—';
  const commands = r.commands.length ? r.commands.join(', ') : 'serverless.yml only';
  return `| ${flag} | ${key} | ${cell(allowedText(r))} | ${cell(defaultText(r))} | ${commands} | ${cell(r.description)} |`;
}

/** The whole Markdown page. */
export function settingsMarkdown(): string {
  const model = Object.entries(DEFAULT_MODEL).map(([k, v]) => `| \`${k}\` | ${v} |`);
  return [
    '# Settings',
    '',
    '<!-- Generated from src/config/settings-table.ts by `npm run docs:settings`; do not edit by hand. -->',
    '',
    'Every setting of `coldstart`. A setting with a flag and a `custom.coldstart` key can be given in both;',
    'the flag wins. The programmatic API takes the same settings under the camelCase key.',
    '',
    '| Flag | `custom.coldstart` key | Values | Default | Commands | What it does |',
    '|---|---|---|---|---|---|',
    ...(SETTINGS as readonly SettingRow[]).map(row),
    '',
    '## Model coefficients (`custom.coldstart.model`)',
    '',
    '| Coefficient | Default |',
    '|---|---|',
    ...model,
    '',
  ].join('\n');
}
