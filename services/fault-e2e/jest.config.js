module.exports = {
  displayName: 'fault-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['**/*.faults.spec.ts'],
  // one scenario: load, kills, restarts, then the checks; a loaded 2-core machine took 22 min to the rebuilds
  testTimeout: 2_700_000,
  maxWorkers: 1,
};
