// identity's end-to-end tests: the service as a real process against the test servers (and a real OpenID provider);
// and its OpenAPI document, built without servers (identity has no unit-test target of its own)
module.exports = {
  displayName: 'identity',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['**/*.e2e.spec.ts', '**/openapi.spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
