module.exports = {
  displayName: 'identity-infra',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
