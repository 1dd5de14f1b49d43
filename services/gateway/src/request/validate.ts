import { z } from 'zod';
import { isValidSymbol } from '@tickstream/contracts';
import { NotFoundError, ValidationError } from './errors';

/**
 * Parses untrusted input with `schema` or throws a ValidationError listing every bad field.
 * Messages are zod's, never the offending value, so nothing the client sent is echoed back.
 */
export function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    path: i.path.join('.') || '(root)',
    message: messageOf(i),
  }));
  throw new ValidationError(`invalid ${what}`, details);
}

// zod quotes the received value for enum and literal mismatches; the value may be a secret.
function messageOf(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.invalid_enum_value) return `expected one of ${issue.options.join(', ')}`;
  if (issue.code === z.ZodIssueCode.invalid_literal) return `expected ${JSON.stringify(issue.expected)}`;
  return issue.message;
}

const uuid = z.string().uuid();

/** A path id that is not a UUID cannot name anything: answer 404 like any other unknown id. */
export function pathId(value: unknown, what: string): string {
  const r = uuid.safeParse(value);
  if (!r.success) throw new NotFoundError(what);
  return r.data.toLowerCase();
}

export const symbolSchema = z
  .string()
  .max(16)
  .transform((s) => s.trim().toUpperCase())
  .refine(isValidSymbol, { message: 'expected a ticker symbol such as AAPL or BRK.B' });
