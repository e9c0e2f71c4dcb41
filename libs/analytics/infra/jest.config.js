module.exports = {
  displayName: 'analytics-infra',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
