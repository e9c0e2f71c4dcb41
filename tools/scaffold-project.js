// Creates the boilerplate of one Nx project (project.json, tsconfig, jest config, src/index.ts)
// and registers its import alias. Usage: node tools/scaffold-project.js <root> <name> <alias|-> <tag,tag>
const fs = require('node:fs');
const path = require('node:path');

const [root, name, alias, tags] = process.argv.slice(2);
const depth = root.split('/').length;
const up = '../'.repeat(depth);
const isApp = root.startsWith('services/');
fs.mkdirSync(path.join(root, 'src'), { recursive: true });

const write = (file, content) => {
  const target = path.join(root, file);
  if (!fs.existsSync(target)) fs.writeFileSync(target, content);
};
write('project.json', JSON.stringify({
  name,
  $schema: `${up}node_modules/nx/schemas/project-schema.json`,
  sourceRoot: `${root}/src`,
  projectType: isApp ? 'application' : 'library',
  tags: tags.split(','),
  targets: {},
}, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({
  extends: `${up}tsconfig.base.json`,
  include: ['src/**/*.ts'],
}, null, 2) + '\n');
write('jest.config.js', `module.exports = {\n  displayName: '${name}',\n  preset: '${up}jest.preset.js',\n  rootDir: __dirname,\n};\n`);
if (!isApp) write('src/index.ts', '');

if (alias !== '-') {
  const base = JSON.parse(fs.readFileSync('tsconfig.base.json', 'utf8'));
  base.compilerOptions.paths[alias] = [`${root}/src/index.ts`];
  base.compilerOptions.paths = Object.fromEntries(Object.entries(base.compilerOptions.paths).sort());
  fs.writeFileSync('tsconfig.base.json', JSON.stringify(base, null, 2) + '\n');
}
