import { z } from 'zod/v4';
import type { FieldIssue } from '@tickstream/contracts';
import { NotFoundError, ValidationError } from './errors';

/**
 * Parses untrusted input with `schema` (one of the contracts' REST schemas) or throws a
 * ValidationError whose message names every bad field and whose details list them. Messages are
 * zod's or the schema's own, never the offending value, so nothing the client sent is echoed back.
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(input, { error: messageOf });
  if (result.success) return result.data;
  throw invalid(
    what,
    result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
  );
}

/**
 * `parse` for a query string (`req.query`). No parameter of the API is a list, so one given more
 * than once (`?limit=1&limit=2`, which Express reads as an array) is refused by name; coerced to a
 * number it would otherwise be refused as NaN.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, unknown>): z.output<S> {
  const repeated = Object.keys(query).filter((key) => Array.isArray(query[key]));
  if (repeated.length > 0)
    throw invalid(
      'query',
      repeated.map((path) => ({ path, message: 'given more than once; send it once' })),
    );
  return parse(schema, query, 'query');
}

function invalid(what: string, details: FieldIssue[]): ValidationError {
  const fields = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new ValidationError(`invalid ${what}: ${fields}`, details);
}

// Plainer words than zod's defaults where a client most often goes wrong; undefined keeps zod's.
function messageOf(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  // JSON has no Infinity, but a literal beyond double range (1e999) parses to it; zod would say
  // "expected number, received number".
  if (issue.code === 'invalid_type' && (issue.input === Infinity || issue.input === -Infinity))
    return 'expected a finite number';
  // A query parameter coerced to a number from text that is not one.
  if (issue.code === 'invalid_type' && Number.isNaN(issue.input)) return 'expected a number';
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map(String).join(', ')}`;
  return undefined;
}

const uuid = z.guid();

/** A path id that is not a UUID cannot name anything: answer 404 like any other unknown id. */
export function pathId(value: unknown, what: string): string {
  const r = uuid.safeParse(value);
  if (!r.success) throw new NotFoundError(what);
  return r.data.toLowerCase();
}
