export * from './history-import.config';
export * from './history-import.processor';
export * from './history-imports.controller';
export * from './history-import.providers';
