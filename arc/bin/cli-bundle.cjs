'use strict';
/**
 * The switchover CLI as one prebuilt CommonJS bundle (arc/dist/switch.cjs, gitignored), so that a launch is
 * one Node process loading one file: no TypeScript compiled on the fly, no loader child process.
 *
 * - Built with esbuild's JS API when missing or stale, in the launching process (esbuild runs its own
 *   binary for the build: the only child process, and only on a rebuild). `npm ci` prebuilds it (root
 *   `prepare`), so the first switch of an incident does not pay the ~1 s build.
 * - Stale = one of the project's source files esbuild read (its metafile's inputs outside node_modules),
 *   this file, a package.json, or node_modules/.package-lock.json (which npm rewrites whenever an install
 *   changes node_modules) differs in size or mtime from when the bundle was built, or is gone. About 30
 *   stats, a millisecond or two: a developer who edits a source file never runs the old bundle. Files under
 *   node_modules are not stat'ed one by one (600 of them cost tens of ms, and npm gives them all the same
 *   mtime): after editing one by hand, `npm run build:cli -- --force`.
 * - The AWS SDK's ES module builds are bundled (tree-shaken, scope-hoisted); the control-plane clients, used
 *   only by the peacetime `sync`, stay external and load from node_modules only when it runs.
 * - V8's code cache of the bundle (arc/dist/switch.cjs.cache) spares parsing and compiling it on each launch.
 *
 * Used by arc/bin/switch.cjs (the launcher) and, as `node arc/bin/cli-bundle.cjs`, by `npm run build:cli`.
 */
const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const path = require('node:path');

const ARC = path.resolve(__dirname, '..');
const ROOT = path.resolve(ARC, '..');
const DIST = path.join(ARC, 'dist');
const ENTRY = path.join(ARC, 'src', 'cli', 'main.ts');
const BUNDLE = path.join(DIST, 'switch.cjs');
const MANIFEST = path.join(DIST, 'switch.inputs.json');
const CODE_CACHE = `${BUNDLE}.cache`;
/** Loaded from node_modules when `sync` runs, never on a switch's path. */
const EXTERNAL = [
  '@aws-sdk/client-cloudformation',
  '@aws-sdk/client-route-53',
  '@aws-sdk/client-route53-recovery-control-config',
];
/** Inputs esbuild's metafile does not list that change what a build produces. */
const EXTRA_INPUTS = [
  module.filename,
  path.join(ROOT, 'node_modules', '.package-lock.json'),
  ...[ROOT, ARC, path.join(ROOT, 'shared')].map((dir) => path.join(dir, 'package.json')),
];
const NODE_MODULES = /(^|[\\/])node_modules[\\/]/;

/** [size, mtimeMs] of a file, or null when it is gone. */
function fingerprint(file) {
  try {
    const stat = fs.statSync(file);
    return [stat.size, stat.mtimeMs];
  } catch {
    return null;
  }
}

/** Why the bundle must be (re)built, or undefined when it is up to date. */
function staleness() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return 'not built yet';
  }
  if (!fs.existsSync(BUNDLE)) return 'not built yet';
  for (const [relative, recorded] of Object.entries(manifest.inputs)) {
    const now = fingerprint(path.resolve(ROOT, relative));
    if (!now || now[0] !== recorded[0] || now[1] !== recorded[1]) return `${relative} changed`;
  }
  return undefined;
}

/**
 * esbuild bundles every module into one scope, where `__dirname` is the bundle's directory: give each
 * source file that uses it its own directory back (relative to the bundle, so the checkout may move).
 */
const sourceDirnamePlugin = {
  name: 'source-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (NODE_MODULES.test(args.path)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const fromBundle = (target) =>
        `require('node:path').join(__dirname, ${JSON.stringify(path.relative(DIST, target))})`;
      const contents = source
        .replace(/\b__dirname\b/g, fromBundle(path.dirname(args.path)))
        .replace(/\b__filename\b/g, fromBundle(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

/** Builds the bundle and its manifest, each written whole (renamed into place), then drops the code cache. */
async function build() {
  const esbuild = require('esbuild');
  const started = Date.now();
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // the SDK's ES module builds: tree-shaken and scope-hoisted, about half the code of its CommonJS builds
    mainFields: ['module', 'main'],
    external: EXTERNAL,
    // import() becomes require(): the bundle runs as a vm.Script (for the code cache), which has no ESM loader
    supported: { 'dynamic-import': false },
    plugins: [sourceDirnamePlugin],
    metafile: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  fs.mkdirSync(DIST, { recursive: true });
  const inputs = {};
  const sources = Object.keys(result.metafile.inputs).filter((f) => !NODE_MODULES.test(f));
  const files = [...sources.map((f) => path.resolve(ROOT, f)), ...EXTRA_INPUTS];
  for (const file of files) {
    const now = fingerprint(file);
    // edited while esbuild ran: maybe read before the edit, so the next launch rebuilds
    if (now) inputs[path.relative(ROOT, file)] = now[1] >= started ? [-1, -1] : now;
  }
  const output = result.outputFiles.find((f) => f.path === BUNDLE);
  // The code cache is checked against this id: V8 checks only the source's length.
  const id = require('node:crypto').createHash('sha256').update(output.contents).digest('hex').slice(0, 16);
  writeWhole(BUNDLE, `// build ${id}\n${output.text}`);
  fs.rmSync(CODE_CACHE, { force: true });
  writeWhole(MANIFEST, `${JSON.stringify({ entry: path.relative(ROOT, ENTRY), inputs })}\n`);
}

function writeWhole(file, contents) {
  const scratch = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(scratch, contents);
  fs.renameSync(scratch, file);
}

/** The bundle's path, built first if missing or stale. A build error rejects, as esbuild reports it. */
async function freshBundle() {
  if (staleness()) await build();
  return BUNDLE;
}

/**
 * Loads the bundle as a CommonJS module through V8's code cache. Returns its exports and `saveCodeCache`,
 * to call once the CLI has run (the cache then holds the functions it compiled) and before exiting, with
 * `talkedToCluster`: a cache written after a run that used the SDK (about 40 ms less to compile on the
 * next status or switch) replaces one written after `--help`, never the reverse.
 */
function loadBundle(file = BUNDLE) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const source = fs.readFileSync(file, 'utf8');
  const id = /^\/\/ build (\w+)\n/.exec(source)?.[1] ?? '';
  let cachedData;
  let cachedRich = false;
  try {
    const cache = fs.readFileSync(CODE_CACHE);
    const header = /^(\w+) ([01])\n/.exec(cache.subarray(0, 64).toString('latin1'));
    if (id && header?.[1] === id) {
      cachedData = cache.subarray(header[0].length);
      cachedRich = header[2] === '1';
    }
  } catch {
    // no cache yet: compiled from source, and the cache written after the run
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const bundle = new Module(file, require.main);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext();
  wrapper.call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
  bundle.loaded = true;
  const saveCodeCache = (talkedToCluster) => {
    const usable = cachedData && !script.cachedDataRejected;
    if (!id || (usable && (cachedRich || !talkedToCluster))) return;
    try {
      const header = Buffer.from(`${id} ${talkedToCluster ? 1 : 0}\n`);
      writeWhole(CODE_CACHE, Buffer.concat([header, script.createCachedData()]));
    } catch {
      // a read-only checkout: every launch compiles the bundle, a few tens of ms
    }
  };
  return { exports: bundle.exports, saveCodeCache };
}

module.exports = { BUNDLE, MANIFEST, CODE_CACHE, staleness, build, freshBundle, loadBundle };

if (require.main === module) {
  // `npm run build:cli` and the root `prepare` (npm ci): build now if stale. `--force` rebuilds anyway.
  const why = process.argv.includes('--force') ? 'forced' : staleness();
  (why ? build() : Promise.resolve()).then(
    () => console.log(`${path.relative(ROOT, BUNDLE)}: ${why ? `built (${why})` : 'up to date'}`),
    (error) => {
      console.error(`arc/bin/cli-bundle.cjs: ${error.message}`);
      process.exit(1);
    },
  );
}
