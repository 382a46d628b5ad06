import { loadDirectory } from './load.mjs';
import { RULES } from './rules.mjs';

/** Runs every rule over a Terraform directory: {violations: [{rule, message}], files}. */
export async function checkTerraform(dir) {
  const model = await loadDirectory(dir);
  const parsed = model.files.every((file) => !file.error);
  const violations = [];
  for (const [rule, check] of RULES) {
    // structural rules on a directory that does not parse would only repeat the parse error
    if (rule !== 'parses' && !parsed) continue;
    for (const message of check(model)) violations.push({ rule, message });
  }
  return { violations, files: model.files.map((file) => file.name) };
}
