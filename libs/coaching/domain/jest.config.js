module.exports = {
  displayName: 'coaching-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
