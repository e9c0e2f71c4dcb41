module.exports = {
  displayName: 'coaching',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
