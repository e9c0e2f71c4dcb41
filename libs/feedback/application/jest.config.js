module.exports = {
  displayName: 'feedback-application',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
