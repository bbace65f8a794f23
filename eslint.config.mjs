// Lint for the whole workspace. Project boundaries are enforced by @nx/enforce-module-boundaries:
// - scope:web never imports scope:server (and vice versa); scope:shared imports only scope:shared.
// - type:contracts imports nothing (no other project, no npm package).
// - type:domain (pure computation) imports no I/O package (ONNX, DB, Redis, ffmpeg, Nest, ...).
import nx from '@nx/eslint-plugin';

const ioPackages = [
  'onnxruntime-node', 'typeorm', '@nestjs/*', 'ioredis', 'bullmq', 'fluent-ffmpeg', 'sharp', 'pg',
  'better-sqlite3', 'socket.io', 'fs', 'node:fs', 'child_process', 'node:child_process', 'net', 'node:net',
];

export default [
  {
    ignores: [
      '**/dist/**', '**/node_modules/**', '**/.angular/**', '**/.nx/**', 'tmp/**', 'data/**', 'media/**',
      'libs/web/data-access/src/generated/**', 'e2e/artifacts/**', 'test-results/**',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['*'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
              bannedExternalImports: ioPackages,
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:domain', 'type:util', 'type:contracts'] },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:domain', 'type:util', 'type:contracts'],
            },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:contracts'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @crowdsafe/server-config (validated once at boot).' },
      ],
    },
  },
  {
    // Server DI under jest's SWC transform: a union-typed (`X | null`) constructor parameter has `Object` as its
    // design type, so `@Optional()` without an explicit `@Inject(X)` token is silently injected as undefined.
    files: ['libs/server/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MethodDefinition[kind='constructor'] :matches(TSParameterProperty, Identifier):has(> Decorator[expression.callee.name='Optional']):not(:has(> Decorator[expression.callee.name='Inject']))",
          message: 'Give an @Optional() constructor parameter an explicit @Inject(Token): under SWC its type metadata may be Object and it is silently injected as undefined.',
        },
      ],
    },
  },
  {
    // The one place allowed to read process.env, and tooling/test files that set up child processes.
    files: ['libs/server/config/src/**/*.ts', '**/*.medium-spec.ts', '**/*.spec.ts', '**/*.test-util.ts', 'e2e/**', 'tools/**', '*.js', '*.mjs'],
    rules: { 'no-restricted-properties': 'off' },
  },
];
