/**
 * Every query and mutation states the role it needs to run with `@Requires(Role.X)`; there is no root field
 * without one (a test walks the schema to prove it). No token → UNAUTHENTICATED; too low a role → FORBIDDEN.
 * What the data it returns may show, at whatever depth, is the type policy's business (policy.ts).
 */
import { Authorized, type AuthChecker } from 'type-graphql';
import { Role } from '../modules/user/role.js';
import type { GraphQLContext } from './context.js';
import { assertRole } from './policy.js';

/** The role a root field needs (higher roles pass too). */
export function Requires(role: Role): MethodDecorator & PropertyDecorator {
  return Authorized(role);
}

export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  assertRole(context.user, roles[0] ?? Role.VIEWER);
  return true;
};
