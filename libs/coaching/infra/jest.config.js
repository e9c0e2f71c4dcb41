module.exports = {
  displayName: 'coaching-infra',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
