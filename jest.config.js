// Two tiers run by jest: `unit` (*.spec.ts, no services) and `medium` (*.medium-spec.ts, real PostgreSQL,
// Redis, ffmpeg and ONNX). The third tier, browser e2e, is Playwright under e2e/.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/migrations'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/web/', '/libs/web/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'medium', testMatch: ['**/*.medium-spec.ts'], testTimeout: 120000 },
  ],
};
