#!/usr/bin/env node
// Prints the declared stages (libs/contracts/src/stages.ts, compiled) for the shell scripts, one per line:
// `<name> <httpPort> <node options>` in pipeline order. `--reverse` prints them storage side first (the start order).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { STAGE_NAMES, STAGES, nodeOptionsOf } = require(join(root, 'libs', 'contracts', 'dist', 'stages.js'));
const names = process.argv.includes('--reverse') ? [...STAGE_NAMES].reverse() : [...STAGE_NAMES];
for (const n of names) console.log(`${n} ${STAGES[n].httpPort} ${nodeOptionsOf(n)}`);
