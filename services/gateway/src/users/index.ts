export { createUser, findUserByEmail, getUser, setBroker, toPublicUser } from './users';
export type { Broker, PublicUser, Role } from './users';
