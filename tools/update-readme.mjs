#!/usr/bin/env node
// `npm run docs`: rewrites README.md's operator table from the kernel registry.
import fs from 'node:fs';
import { ALL_KERNELS } from '../dist/node/kernels/all.js';
import { withOpTable } from '../dist/dev/testing.js';

const readme = fs.readFileSync('README.md', 'utf8');
fs.writeFileSync('README.md', withOpTable(readme, ALL_KERNELS));
console.log(`README.md: ${ALL_KERNELS.length} operators`);
