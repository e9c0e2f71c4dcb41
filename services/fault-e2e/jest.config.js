module.exports = {
  displayName: 'fault-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['**/*.faults.spec.ts'],
  // one scenario of several minutes: load, kills, restarts, then the checks
  testTimeout: 1_200_000,
  maxWorkers: 1,
};
