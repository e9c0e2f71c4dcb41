export * from './school-members.projection';
