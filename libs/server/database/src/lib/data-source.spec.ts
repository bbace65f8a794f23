import { describeCause, describeDatabaseUrl } from './data-source';
import { createEntities } from './entities';

describe('describeDatabaseUrl', () => {
  it.each([
    { url: '', out: '' },
    { url: 'postgres://127.0.0.1:5432/db', out: 'postgres://127.0.0.1:5432/db' },
    { url: 'postgres://cs:s3cret@127.0.0.1:1/x', out: 'postgres://***@127.0.0.1:1/x' },
    { url: 'postgresql://user@db/crowdsafe', out: 'postgresql://***@db/crowdsafe' },
    { url: 'postgres://u:p%40ss@host/db?sslmode=require&password=s3cret', out: 'postgres://***@host/db' },
  ])('$url -> $out', ({ url, out }) => {
    expect(describeDatabaseUrl(url)).toBe(out);
  });
});

describe('describeCause', () => {
  it.each([
    { name: 'a plain value', error: 'boom', out: 'boom' },
    { name: 'an Error', error: new Error('connect ECONNREFUSED 127.0.0.1:1'), out: 'connect ECONNREFUSED 127.0.0.1:1' },
    { name: 'a multi-line message', error: new Error('first\n  second'), out: 'first second' },
    { name: 'an Error with only a code', error: Object.assign(new Error(''), { code: 'ECONNREFUSED' }), out: 'ECONNREFUSED' },
    { name: 'a URL with credentials', error: new Error('bad postgres://u:pw@h/db'), out: 'bad postgres://***@h/db' },
    {
      name: 'an AggregateError (dual-stack connect)',
      error: new AggregateError([new Error('connect ECONNREFUSED ::1:1'), new Error('connect ECONNREFUSED 127.0.0.1:1')], ''),
      out: 'connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1',
    },
  ])('$name', ({ error, out }) => {
    expect(describeCause(error)).toBe(out);
  });
});

describe('createEntities', () => {
  it.each([
    { dialect: 'postgres' as const, json: 'jsonb', time: 'timestamptz', uuid: 'uuid' },
    { dialect: 'sqlite' as const, json: 'json', time: 'datetime', uuid: 'varchar' },
  ])('$dialect column types', ({ dialect, json, time, uuid }) => {
    const schemas = createEntities(dialect);
    expect(schemas.map((s) => s.options.tableName)).toEqual([
      'users', 'cameras', 'metrics', 'alerts', 'alert_recipients', 'recordings', 'system_logs', 'settings', 'settings_history',
      'metrics_minute', 'crossing_events', 'reports',
    ]);
    const metrics = schemas.find((s) => s.options.tableName === 'metrics')?.options.columns as Record<string, { type: unknown }>;
    expect([metrics['metadata']?.type, metrics['time']?.type, metrics['cameraId']?.type]).toEqual([json, time, uuid]);
  });
});
