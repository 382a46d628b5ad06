#!/usr/bin/env node
// Usage: node bin/check-terraform.mjs <terraform directory>
// Exits 0 when every rule holds, 1 with one line per violation otherwise, 2 on a usage error.
import { resolve } from 'node:path';
import { checkTerraform } from '../lib/check.mjs';
import { RULES } from '../lib/rules.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bin/check-terraform.mjs <terraform directory>');
  process.exit(2);
}

try {
  const { violations, files } = await checkTerraform(resolve(dir));
  if (violations.length > 0) {
    for (const { rule, message } of violations) console.error(`FAIL [${rule}] ${message}`);
    console.error(`terraform check: ${violations.length} violation(s) in ${dir}`);
    process.exit(1);
  }
  console.log(`terraform check: ${files.length} files OK (${RULES.map(([rule]) => rule).join(', ')})`);
} catch (e) {
  console.error(`terraform check: cannot read ${dir}: ${e.message}`);
  process.exit(2);
}
