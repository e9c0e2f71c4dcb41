module.exports = {
  displayName: 'event-sourcing',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
