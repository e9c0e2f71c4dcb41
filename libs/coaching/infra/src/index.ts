export * from './directory.projection';
export * from './relationships.projection';
