import nx from '@nx/eslint-plugin';

// Layers and bounded contexts, enforced on the Nx project graph:
// a service sees only its own context's libraries plus the shared kernel, and domain code stays framework-free.
const frameworkImports = ['@nestjs/*', 'mongoose', 'kafkajs', 'bullmq', 'ioredis', 'express', 'nestjs-pino', 'pino'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', '.local', '.nx', 'tmp', 'test-artifacts', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // contexts
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:identity', 'scope:shared'] },
            { sourceTag: 'scope:coaching', onlyDependOnLibsWithTags: ['scope:coaching', 'scope:shared'] },
            { sourceTag: 'scope:feedback', onlyDependOnLibsWithTags: ['scope:feedback', 'scope:shared'] },
            { sourceTag: 'scope:analytics', onlyDependOnLibsWithTags: ['scope:analytics', 'scope:shared'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:shared'] },
            // layers
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: frameworkImports },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: frameworkImports },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'], bannedExternalImports: frameworkImports },
            { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:testing'], bannedExternalImports: ['@nestjs/*'] },
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:kernel', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:kernel'], bannedExternalImports: ['mongoose', 'kafkajs', 'ioredis'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:contracts', 'type:util', 'type:kernel', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:application', 'type:infra', 'type:domain', 'type:contracts', 'type:util', 'type:kernel', 'type:runtime', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:util'] },
          ],
        },
      ],
    },
  },
];
