import { describe, expect, it } from 'vitest';
import { jvmArgs, log4jProperties, renderProperties, serverProperties } from './server-properties.ts';

describe('server.properties', () => {
  const props = serverProperties({ port: 19092, controllerPort: 19093, logDir: '/data/kraft' });

  it('runs a single combined KRaft node on loopback only', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': '/data/kraft',
    });
  });

  it('makes internal topics work with one replica and keeps tests fast', () => {
    expect(props).toMatchObject({
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
    });
    expect(Number(props['offsets.topic.num.partitions'])).toBeLessThanOrEqual(10);
    expect(Number(props['log.cleaner.backoff.ms'])).toBeLessThanOrEqual(1000);
  });

  it('renders one key=value line per property', () => {
    expect(renderProperties({ a: '1', 'b.c': 'x:y' })).toBe('a=1\nb.c=x:y\n');
    expect(log4jProperties()).toContain('log4j.rootLogger=INFO, stdout\n');
  });

  it('passes the heap flags and the log4j config to the JVM', () => {
    const args = jvmArgs({ heap: '-Xms256m  -Xmx1g', log4jConfigPath: '/d/log4j.properties' });
    expect(args.slice(0, 2)).toEqual(['-Xms256m', '-Xmx1g']);
    expect(args).toContain('-Dlog4j.configuration=file:/d/log4j.properties');
  });
});
