export { authOf, setCaller } from './caller';
export type { AccessClaims } from './caller';
export {
  AuthError,
  ConflictError,
  DependencyUnavailableError,
  ForbiddenError,
  NotFoundError,
  RateLimitUnavailableError,
  RateLimitedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
export { parse, parseQuery, pathId } from './validate';
