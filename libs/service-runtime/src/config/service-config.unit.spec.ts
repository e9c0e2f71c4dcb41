import { InvalidConfigError, loadServiceConfig } from './service-config';

describe('loadServiceConfig', () => {
  it('defaults to the local stack', () => {
    expect(loadServiceConfig('feedback', 3003, {})).toEqual({
      service: 'feedback', port: 3003, kafkaBrokers: ['127.0.0.1:9092'], mongoUrl: 'mongodb://127.0.0.1:27017',
      mongoDb: 'cbme_feedback', redisUrl: 'redis://127.0.0.1:6379', namespace: 'cbme', logLevel: 'info',
      projectionPollMs: 100, projectionCheckpointMs: 1_000, lease: { ttlMs: 5_000, renewMs: 1_500, retryMs: 1_000 }, institutionId: 'demo-university',
      auth: { jwksUrl: 'http://127.0.0.1:3001/.well-known/jwks.json', issuer: 'cbme-identity', audience: 'cbme' },
      audit: { keysFile: '.local/audit-keys/cbme_feedback.json', everyPositions: 1_000, everyMs: 60_000, disclosureFlushMs: 1_000 },
      personalData: { masterKeyFile: '.local/data-keys/cbme_feedback.key', transportMasterKeyFile: '.local/data-keys/cbme.transport.key' },
    });
  });

  it('reads overrides', () => {
    const config = loadServiceConfig('feedback', 3003, { PORT: '4000', KAFKA_BROKERS: 'a:1,b:2', CBME_NAMESPACE: 'test-1' });
    expect(config).toMatchObject({ port: 4000, kafkaBrokers: ['a:1', 'b:2'], namespace: 'test-1', mongoDb: 'test_1_feedback' });
  });

  it('reads the proxies to trust, none by default', () => {
    expect(loadServiceConfig('identity', 3001, { TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toBe('loopback, 10.0.0.0/8,::1');
    expect(loadServiceConfig('identity', 3001, { TRUST_PROXY: '' }).trustProxy).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ MONGO_URL: 'http://x' }, /MONGO_URL must be a mongodb:\/\/ URL/],
    [{ KAFKA_BROKERS: 'localhost' }, /KAFKA_BROKERS must be host:port/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY must be a comma-separated list/],
    [{ TRUST_PROXY: 'loopback; 10.0.0.0/8' }, /TRUST_PROXY must be a comma-separated list/],
  ])('refuses %p with a message naming the setting', (env, message) => {
    expect(() => loadServiceConfig('feedback', 3003, env)).toThrow(InvalidConfigError);
    expect(() => loadServiceConfig('feedback', 3003, env)).toThrow(message);
  });
});
