/**
 * ESLint rule: each workspace is used through its named face and declares what it imports.
 * - a relative import stays inside the importing file's workspace;
 * - `@arc-failover/<workspace>[/<subpath>]` names an entry of that workspace's package.json "exports";
 * - every package imported (another workspace or from the registry) is declared in the importing
 *   workspace's package.json (for a type-only import, its `@types/` package will do).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

function workspaces() {
  const patterns = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).workspaces;
  const dirs = patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => path.join(pattern.slice(0, -2), entry.name))
      : [pattern],
  );
  return dirs
    .filter((dir) => existsSync(path.join(ROOT, dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
      return {
        dir: path.join(ROOT, dir),
        name: manifest.name,
        exports: Object.keys(manifest.exports ?? { '.': manifest.main }),
        declared: new Set(
          ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((key) =>
            Object.keys(manifest[key] ?? {}),
          ),
        ),
      };
    });
}

const WORKSPACES = workspaces();
const BUILTIN = new Set(builtinModules);

const workspaceOf = (file) =>
  WORKSPACES.filter((ws) => file === ws.dir || file.startsWith(ws.dir + path.sep)).sort(
    (a, b) => b.dir.length - a.dir.length,
  )[0];

const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

function check(context, node, spec, typeOnly) {
  const file = context.filename;
  const own = workspaceOf(file);
  if (!own || typeof spec !== 'string') return;
  if (spec.startsWith('.')) {
    const target = path.resolve(path.dirname(file), spec);
    if (workspaceOf(target) !== own) {
      context.report({
        node,
        message: `${spec} leaves ${own.name}: import another workspace through its package name and exports`,
      });
    }
    return;
  }
  if (spec.startsWith('node:') || BUILTIN.has(spec)) return;
  const name = packageName(spec);
  const target = WORKSPACES.find((ws) => ws.name === name);
  if (target) {
    const subpath = `.${spec.slice(name.length)}`;
    if (!target.exports.includes(subpath)) {
      context.report({
        node,
        message: `${spec} is not a face of ${name} (its exports: ${target.exports.join(', ')})`,
      });
    }
  }
  if (target === own) return;
  const typesPackage = `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
  if (!own.declared.has(name) && !(typeOnly && own.declared.has(typesPackage))) {
    context.report({
      node,
      message: `${name} is imported by ${own.name} but not declared in its package.json: add it there`,
    });
  }
}

export const workspaceBoundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    return {
      ImportDeclaration: (node) => check(context, node, node.source.value, node.importKind === 'type'),
      ExportNamedDeclaration: (node) =>
        node.source && check(context, node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(context, node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => check(context, node, node.source.value, false),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          check(context, node, node.arguments[0].value, false);
        }
      },
    };
  },
};
