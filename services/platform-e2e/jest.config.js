module.exports = {
  displayName: 'platform-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['**/*.e2e.spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
