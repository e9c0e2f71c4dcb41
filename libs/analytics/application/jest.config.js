module.exports = {
  displayName: 'analytics-application',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
