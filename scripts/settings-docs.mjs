// Writes docs/settings.md from the settings table (run after the build: `npm run docs:settings`).
import { writeFileSync } from 'node:fs';
import { settingsMarkdown } from '../dist/src/config/settings-docs.js';

writeFileSync(new URL('../docs/settings.md', import.meta.url), settingsMarkdown());
