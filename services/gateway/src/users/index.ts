export {
  createUser,
  displayNameSchema,
  emailSchema,
  findUserByEmail,
  getUser,
  setBroker,
  toPublicUser,
} from './users';
export type { Broker, PublicUser, Role } from './users';
