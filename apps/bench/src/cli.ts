#!/usr/bin/env node
/**
 * lmkit-bench: `report` prints the backend report; `<suite>` runs one benchmark suite and `all`
 * (the default) runs every suite, each writing results/<suite>.{json,md,svg}; `help` lists them.
 */
import { fileURLToPath } from 'node:url';
import { runSuite } from './harness.js';
import { backendReport, formatReport } from './report.js';
import { SUITES } from './suites/index.js';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
const [command = 'all'] = process.argv.slice(2);

function usage(): string {
  return [
    'usage: lmkit-bench [command]',
    '  all        every suite below (the default)',
    ...SUITES.map((s) => `  ${s.name.padEnd(10)} ${s.description}`),
    '  report     the backends that start here, with a matMul GFLOP/s each',
    `results go to ${RESULTS}`,
  ].join('\n');
}

if (command === 'report') {
  console.log(formatReport(await backendReport()));
  process.exit(0);
}
if (command === 'help' || command === '--help' || command === '-h') {
  console.log(usage());
  process.exit(0);
}
const suites = command === 'all' ? SUITES : SUITES.filter((s) => s.name === command);
if (suites.length === 0) {
  console.error(`unknown command '${command}'\n${usage()}`);
  process.exit(2);
}
let ok = true;
for (const suite of suites) ok = (await runSuite(suite, RESULTS)) && ok;
process.exit(ok ? 0 : 1);
