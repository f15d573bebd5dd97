#!/usr/bin/env node
/**
 * lmkit-bench: `report` prints the backend report; the other commands run benchmark suites.
 */
import { backendReport, formatReport } from './report.js';

const [command = 'report'] = process.argv.slice(2);

if (command === 'report') {
  console.log(formatReport(await backendReport()));
  process.exit(0);
} else {
  console.error(`unknown command '${command}'. Commands: report`);
  process.exit(2);
}
