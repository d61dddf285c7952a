/**
 * Every query and mutation states the role it needs with `@Requires(Role.X)`; there is no field
 * without one (a test walks the schema to prove it). No token → UNAUTHENTICATED; too low a role → FORBIDDEN.
 */
import { Authorized, type AuthChecker } from 'type-graphql';
import { AppError } from '../errors/app-error.js';
import { Role, roleAllows } from '../modules/user/role.js';
import type { GraphQLContext } from './context.js';

/** The role a root field needs (higher roles pass too). */
export function Requires(role: Role): MethodDecorator & PropertyDecorator {
  return Authorized(role);
}

export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  const user = context.user;
  if (!user) throw AppError.unauthenticated();
  const needed = roles[0] ?? Role.VIEWER;
  if (!roleAllows(user.role, needed)) throw AppError.forbidden(needed, user.role);
  return true;
};

/** Throws FORBIDDEN unless the signed-in user is `ownerId` or an admin (for "own or admin" operations). */
export function assertSelfOrAdmin(ctx: GraphQLContext, ownerId: string): void {
  const user = ctx.user;
  if (!user) throw AppError.unauthenticated();
  if (user.id !== ownerId && user.role !== Role.ADMIN) {
    throw new AppError('FORBIDDEN', 'Only an admin may do this for another user.');
  }
}
