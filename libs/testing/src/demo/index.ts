/** The demo institution: its four years of history as import files, and the seed that loads it (npm start, bench, e2e). */
export * from './history-generator';
export * from './demo-institution';
