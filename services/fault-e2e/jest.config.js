module.exports = {
  displayName: 'fault-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['**/*.faults.spec.ts'],
  // one scenario: load, kills, restarts, then the checks (about 4 min); each phase has its own limit and says what hung
  testTimeout: 1_800_000,
  maxWorkers: 1,
};
