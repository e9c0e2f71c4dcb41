export * from './school-members.projection';
export * from './auth/signing-keys';
export * from './auth/credentials';
export * from './auth/auth.service';
export * from './auth/sso.service';
export * from './school-directory.projection';
export * from './retention.projection';
