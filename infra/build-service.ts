/**
 * `nx run <service>:build`: compiles one service and the workspace libraries it imports at run time into
 * dist/services/<service>/, to run as `node dist/services/<service>/main.js` with production dependencies only.
 *
 * Why not @nx/js:swc or @nx/js:tsc: both compile one project's folder and leave `@cbme/*` imports for Node to resolve,
 * which only works with every library made buildable and published into node_modules. Here the service's own files go
 * to the output's top (main.js) and each library it reaches goes to the output's node_modules/@cbme/<lib>/, so Node
 * resolves `@cbme/*` by its own rules and the compiled code is the source's, module for module.
 * Only what main.ts reaches is compiled (no specs, no test helpers), with the options @swc-node/register uses in
 * development and tests (decorator metadata included). The build fails when a package the output requires is not a
 * production dependency in package.json.
 */
import { Options, transformFileSync } from '@swc/core';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const WORKSPACE = path.resolve(__dirname, '..');
const service = process.argv[2];
if (!service || !existsSync(path.join(WORKSPACE, 'services', service, 'src', 'main.ts'))) {
  console.error(`usage: build-service.ts <service>  (no services/${service}/src/main.ts)`);
  process.exit(2);
}
const outDir = path.join(WORKSPACE, 'dist', 'services', service);

// the same transform as @swc-node/register with tsconfig.base.json, except: helpers inlined (@swc/helpers is a
// devDependency) and `@cbme/*` left as written (no `paths`), for Node to find in the output's node_modules
const swcOptions: Options = {
  swcrc: false,
  isModule: true,
  sourceMaps: true,
  jsc: {
    target: 'es2022',
    externalHelpers: false,
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
  },
  module: { type: 'commonjs', noInterop: false },
};

/** source folder -> output folder: the service's src at the top, each `@cbme/<lib>` under node_modules */
function packageRoots(): Array<{ source: string; output: string }> {
  const { compilerOptions } = JSON.parse(readFileSync(path.join(WORKSPACE, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const roots = [{ source: path.join(WORKSPACE, 'services', service, 'src'), output: outDir }];
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    if (path.basename(target) !== 'index.ts' || alias.split('/').length !== 2) continue; // subpath aliases live inside their package
    roots.push({ source: path.join(WORKSPACE, path.dirname(target)), output: path.join(outDir, 'node_modules', alias) });
  }
  return roots;
}

const roots = packageRoots();
const aliases = new Set(roots.slice(1).map((root) => path.relative(path.join(outDir, 'node_modules'), root.output)));
const production = new Set(Object.keys((JSON.parse(readFileSync(path.join(WORKSPACE, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies));
const builtins = new Set(builtinModules);

function rootOf(source: string) {
  const root = roots.find((r) => source.startsWith(r.source + path.sep));
  if (!root) throw new Error(`${path.relative(WORKSPACE, source)} is outside the service and the @cbme libraries`);
  return root;
}

function outputFor(source: string): string {
  const root = rootOf(source);
  return path.join(root.output, path.relative(root.source, source)).replace(/\.ts$/, '.js');
}

function resolveSource(from: string, specifier: string): string {
  const base = specifier.startsWith('.') ? path.resolve(path.dirname(from), specifier) : path.join(WORKSPACE, specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(WORKSPACE, from)}: cannot resolve ${specifier}`);
}

/** `@cbme/<lib>[/sub]` -> the source file its tsconfig alias names */
function resolveAlias(from: string, specifier: string): string {
  const [scope, lib, ...rest] = specifier.split('/');
  const root = roots.find((r) => r.output === path.join(outDir, 'node_modules', scope, lib));
  if (!root) throw new Error(`${path.relative(WORKSPACE, from)}: no workspace library ${specifier}`);
  return resolveSource(from, path.relative(WORKSPACE, path.join(root.source, ...rest)));
}

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

rmSync(outDir, { recursive: true, force: true });
const pending = [path.join(WORKSPACE, 'services', service, 'src', 'main.ts')];
const compiled = new Set<string>();
const missing = new Map<string, string>();
for (let source = pending.pop(); source; source = pending.pop()) {
  if (compiled.has(source)) continue;
  compiled.add(source);
  const output = outputFor(source);
  mkdirSync(path.dirname(output), { recursive: true });
  if (!source.endsWith('.ts')) {
    writeFileSync(output, readFileSync(source)); // e.g. a required .json
    continue;
  }
  const { code, map } = transformFileSync(source, { ...swcOptions, filename: source, sourceFileName: path.relative(path.dirname(output), source) });
  writeFileSync(output, `${code}\n//# sourceMappingURL=${path.basename(output)}.map\n`);
  if (map) writeFileSync(`${output}.map`, map);
  // swc's CommonJS output names every run-time dependency as require("...")
  for (const [, specifier] of code.matchAll(/\brequire\("([^"]+)"\)/g)) {
    if (specifier.startsWith('.')) {
      const target = resolveSource(source, specifier);
      // the output moves each package's folder as a whole: a relative path into another package would break
      if (rootOf(target) !== rootOf(source)) throw new Error(`${path.relative(WORKSPACE, source)}: import ${specifier} through its @cbme alias`);
      pending.push(target);
    }
    else if (aliases.has(packageName(specifier))) pending.push(resolveAlias(source, specifier));
    else if (!builtins.has(specifier) && !specifier.startsWith('node:') && !production.has(packageName(specifier))) {
      missing.set(packageName(specifier), path.relative(WORKSPACE, source));
    }
  }
}

if (missing.size) {
  for (const [name, file] of missing) console.error(`${service}: ${file} requires ${name}, which is not in package.json's dependencies`);
  process.exit(1);
}
console.log(`${service}: ${compiled.size} modules -> ${path.relative(WORKSPACE, outDir)}/main.js`);
