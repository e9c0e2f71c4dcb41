module.exports = {
  displayName: 'feedback',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
