// The load process of `runLoad`: measures the load given as JSON in argv and prints the result.
import { measureLoad, type LoadOptions } from './load.js';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
process.stdout.write(JSON.stringify(await measureLoad(options)));
