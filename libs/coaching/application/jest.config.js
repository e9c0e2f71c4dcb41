module.exports = {
  displayName: 'coaching-application',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
