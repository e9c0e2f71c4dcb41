module.exports = {
  displayName: 'feedback-infra',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
