import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, Max, Min } from 'class-validator';

/** The 400 message of a bad date-time query field, naming the field. */
export const isoDateTimeMessage = (field: string): string => `${field} must be an ISO 8601 date-time, e.g. 2026-06-01T12:00:00Z`;

/** An optional ISO 8601 date-time query field (`from`, `to`, ...): OpenAPI format and a 400 naming the field. */
export function OptionalIsoDateTime(field: string, description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ format: 'date-time', description }),
    IsOptional(),
    IsISO8601({ strict: true }, { message: isoDateTimeMessage(field) }),
  );
}

/** An optional whole-number query field in [min, max] (page `limit`, `offset`), converted from the query string. */
export function OptionalIntInRange(field: string, min: number, max: number, byDefault: number): PropertyDecorator {
  const range = `${field} must be between ${min} and ${max}`;
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max, default: byDefault }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: `${field} must be a whole number` }),
    Min(min, { message: range }),
    Max(max, { message: range }),
  );
}

/** `limit` of a paged list: 1..max, default byDefault. */
export const PageLimit = (max: number, byDefault: number): PropertyDecorator => OptionalIntInRange('limit', 1, max, byDefault);

/** `offset` of a paged list: 0..1,000,000. */
export const PageOffset = (): PropertyDecorator => OptionalIntInRange('offset', 0, 1_000_000, 0);
