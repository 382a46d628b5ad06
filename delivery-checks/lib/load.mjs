// Reads a Terraform directory into one model: every .tf file parsed to JSON by @cdktf/hcl2json (HashiCorp's HCL
// parser compiled to WebAssembly), plus the variable files (*.tfvars, *.tfvars.example) for the secret checks. Each
// file also gets its canonical layout from @cdktf/hcl-tools (hclwrite's Format, the formatter of `terraform fmt`,
// compiled to WebAssembly), so that the check fails where `terraform fmt -check` would.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { format } from '@cdktf/hcl-tools';

const isTerraformFile = (name) => name.endsWith('.tf');
const isVariablesFile = (name) => name.endsWith('.tfvars') || name.endsWith('.tfvars.example');

/**
 * @returns {Promise<{dir: string, files: Array<{name: string, text: string, json: object|null, error: string|null,
 *   kind: 'tf'|'tfvars', formatted: string|null}>}>}
 */
export async function loadDirectory(dir) {
  const names = (await readdir(dir)).filter((name) => isTerraformFile(name) || isVariablesFile(name)).sort();
  const files = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    const kind = isTerraformFile(name) ? 'tf' : 'tfvars';
    try {
      files.push({ name, text, kind, json: await parse(name, text), error: null, formatted: await format(text) });
    } catch (e) {
      files.push({ name, text, kind, json: null, error: String(e.message ?? e).trim(), formatted: null });
    }
  }
  return { dir, files };
}

/** Every resource (or data source) of the parsed .tf files: {type, name, body, file}. */
export function blocksOf(model, section) {
  const blocks = [];
  for (const file of model.files) {
    if (file.kind !== 'tf' || !file.json?.[section]) continue;
    for (const [type, byName] of Object.entries(file.json[section])) {
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of bodies) blocks.push({ type, name, body, file: file.name });
      }
    }
  }
  return blocks;
}

export const resources = (model) => blocksOf(model, 'resource');

/** The merged values of every `locals` block. */
export function locals(model) {
  const merged = {};
  for (const file of model.files) {
    if (file.kind !== 'tf') continue;
    for (const block of file.json?.locals ?? []) Object.assign(merged, block);
  }
  return merged;
}

/** The declared input variables' defaults by name (undefined for a variable without one). */
export function variableDefaults(model) {
  const defaults = {};
  for (const file of model.files) {
    if (file.kind !== 'tf') continue;
    for (const [name, bodies] of Object.entries(file.json?.variable ?? {})) defaults[name] = [bodies].flat()[0]?.default;
  }
  return defaults;
}

/** Names of the declared input variables. */
export function declaredVariables(model) {
  const names = new Set();
  for (const file of model.files) {
    if (file.kind === 'tf') Object.keys(file.json?.variable ?? {}).forEach((name) => names.add(name));
  }
  return names;
}

/** Calls visit(key, value, file) for every property of every parsed file, depth first. */
export function walk(model, visit, { kinds = ['tf', 'tfvars'] } = {}) {
  const visitNode = (node, key, file) => {
    if (Array.isArray(node)) {
      node.forEach((item) => visitNode(item, key, file));
    } else if (node !== null && typeof node === 'object') {
      for (const [childKey, child] of Object.entries(node)) {
        visit(childKey, child, file);
        visitNode(child, childKey, file);
      }
    }
  };
  for (const file of model.files) {
    if (file.json && kinds.includes(file.kind)) visitNode(file.json, null, file);
  }
}

/** Names X of every `<type>.X` reference in an expression string. */
export function references(expression, type) {
  if (typeof expression !== 'string') return [];
  const pattern = new RegExp(`(?<![\\w.])${type.replace('.', '\\.')}\\.([A-Za-z_][\\w-]*)`, 'g');
  return [...expression.matchAll(pattern)].map((match) => match[1]);
}
