import { isRedisUnavailable } from './redis-session-store';

const replyError = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('isRedisUnavailable', () => {
  it.each([
    { name: 'nothing thrown', err: undefined, unavailable: false },
    { name: 'a non-error value', err: 'boom', unavailable: false },
    { name: 'connection refused', err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), unavailable: true },
    { name: 'ioredis gave up retrying', err: Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' }), unavailable: true },
    { name: 'connection closed', err: new Error('Connection is closed.'), unavailable: true },
    { name: 'Redis loading its dataset', err: replyError('LOADING Redis is loading the dataset in memory'), unavailable: true },
    { name: 'a read-only replica', err: replyError("READONLY You can't write against a read only replica."), unavailable: true },
    { name: 'wrong password', err: replyError('WRONGPASS invalid username-password pair'), unavailable: true },
    { name: 'a script error is a bug, not an outage', err: replyError('ERR user_script:3: Script attempted to access nonexistent global variable'), unavailable: false },
    { name: 'a wrong-type reply is a bug too', err: replyError('WRONGTYPE Operation against a key holding the wrong kind of value'), unavailable: false },
  ])('$name', ({ err, unavailable }) => {
    expect(isRedisUnavailable(err)).toBe(unavailable);
  });
});
