// Copies the console's static files next to the compiled server code.
import { cpSync, existsSync } from 'node:fs';

if (existsSync('src/console/static')) cpSync('src/console/static', 'dist/src/console/static', { recursive: true });
