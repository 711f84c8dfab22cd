import { loadEnvironment } from '../../../config/environment';

/** REDIS_CLUSTER_NODES and the hash tag a cluster needs in QUEUE_PREFIX (config/environment.ts). */
describe('Redis Cluster settings', () => {
  const base = { NODE_ENV: 'test' };

  it('means one Redis at REDIS_URL when unset or empty', () => {
    expect(loadEnvironment({ ...base }).redisClusterNodes).toBeNull();
    expect(loadEnvironment({ ...base, REDIS_CLUSTER_NODES: ' ' }).redisClusterNodes).toBeNull();
  });

  it('reads host:port seeds, names and IPv6 addresses included', () => {
    const env = loadEnvironment({
      ...base,
      REDIS_CLUSTER_NODES: 'redis-a:7000, 10.0.0.2:7001,[::1]:7002',
      QUEUE_PREFIX: '{cpc}',
    });
    expect(env.redisClusterNodes).toEqual([
      { host: 'redis-a', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(env.queuePrefix).toBe('{cpc}');
  });

  it.each(['redis-a', 'redis-a:', 'redis-a:0', 'redis-a:70000', 'redis://redis-a:7000', 'a:1,,b:2'])(
    'refuses %p as a seed list',
    (value) => {
      expect(() => loadEnvironment({ ...base, REDIS_CLUSTER_NODES: value, QUEUE_PREFIX: '{cpc}' })).toThrow(
        /REDIS_CLUSTER_NODES must be host:port pairs/,
      );
    },
  );

  it('refuses a queue prefix without a hash tag in a cluster, rather than moving the queues to new keys', () => {
    expect(() =>
      loadEnvironment({ ...base, REDIS_CLUSTER_NODES: 'redis-a:7000', QUEUE_PREFIX: 'cpc' }),
    ).toThrow(/QUEUE_PREFIX must carry a hash tag such as \{cpc\}/);
    expect(() =>
      loadEnvironment({ ...base, REDIS_CLUSTER_NODES: 'redis-a:7000', QUEUE_PREFIX: 'cpc{}' }),
    ).toThrow(/hash tag/);
    expect(
      loadEnvironment({ ...base, REDIS_CLUSTER_NODES: 'redis-a:7000', QUEUE_PREFIX: 'site1{cpc}' })
        .queuePrefix,
    ).toBe('site1{cpc}');
  });
});
