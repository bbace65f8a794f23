import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { OptionalIsoDateTime, PageLimit, PageOffset } from './query-dto';

class Query {
  @OptionalIsoDateTime('from', 'at or after')
  from?: string;

  @PageLimit(200, 50)
  limit?: number;

  @PageOffset()
  offset?: number;
}

const problems = (q: Record<string, unknown>): string[] =>
  validateSync(plainToInstance(Query, q)).flatMap((e) => Object.values(e.constraints ?? {}));

describe('query DTO decorators', () => {
  it.each([
    ['nothing', {}, []],
    ['valid values from a query string', { from: '2026-06-01T12:00:00Z', limit: '200', offset: '0' }, []],
    ['bad date', { from: 'yesterday' }, ['from must be an ISO 8601 date-time, e.g. 2026-06-01T12:00:00Z']],
    ['limit 0', { limit: '0' }, ['limit must be between 1 and 200']],
    ['limit over max', { limit: '201' }, ['limit must be between 1 and 200']],
    ['limit not whole', { limit: '2.5' }, ['limit must be a whole number']],
    ['negative offset', { offset: '-1' }, ['offset must be between 0 and 1000000']],
  ])('%s', (_name, q, expected) => {
    expect(problems(q)).toEqual(expected);
  });
});
