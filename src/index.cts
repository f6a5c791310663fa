// The package's CommonJS entry: the ES module graph, loaded with Node's own require(), which can
// load ES modules since Node 20.19. Test runners that replace `require` and the `module` built-in
// with loaders of their own (Jest's cannot load ES modules without its experimental flag) are
// passed by: `process.getBuiltinModule` hands out Node's real `module`, whose `createRequire` is
// Node's loader.
import type * as Coldstart from './index.js';

type ModuleBuiltin = typeof import('node:module');
const builtin = (typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:module') : require('node:module')) as ModuleBuiltin;

export = builtin.createRequire(__filename)('./index.js') as typeof Coldstart;
