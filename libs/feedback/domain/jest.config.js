module.exports = {
  displayName: 'feedback-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
