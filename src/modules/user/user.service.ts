import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import { Role } from './role.js';
import { User } from './user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { issueToken } from './token.service.js';
import type { CreateUserInput, UpdateUserInput } from './user.inputs.js';

/** People and their tokens. Used by GraphQL and by the CLI's `user create`. */
export class UserService {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<User> {
    const user = await this.em.findOne(User, { id });
    if (!user) throw AppError.notFound('User', id);
    return user;
  }

  /** Creates a user and, when `tokenLabel` is given, their first token (the CLI bootstrap path). */
  async create(input: CreateUserInput, tokenLabel?: string): Promise<{ user: User; secret?: string }> {
    return this.em.transactional(async (em) => {
      const user = new User(input.name, input.role);
      user.email = input.email ?? null;
      em.persist(user);
      const secret = tokenLabel ? issueToken(em, user, tokenLabel).secret : undefined;
      await em.flush();
      return { user, secret };
    });
  }

  async update(id: string, input: UpdateUserInput): Promise<User> {
    return this.em.transactional(async (em) => {
      const user = await em.findOne(User, { id });
      if (!user) throw AppError.notFound('User', id);
      const losesAdmin = user.role === Role.ADMIN && user.active && (input.active === false || (input.role !== undefined && input.role !== Role.ADMIN));
      if (losesAdmin && (await em.count(User, { role: Role.ADMIN, active: true })) <= 1) {
        throw new AppError('CONFLICT', `${user.name} is the last active admin; make another user ADMIN first.`);
      }
      if (input.name !== undefined && input.name !== null) user.name = input.name;
      if (input.email !== undefined) user.email = input.email ?? null;
      if (input.role !== undefined && input.role !== null) user.role = input.role;
      if (input.active !== undefined && input.active !== null) user.active = input.active;
      await em.flush();
      return user;
    });
  }

  async createToken(userId: string, label: string): Promise<{ token: ApiToken; secret: string }> {
    return this.em.transactional(async (em) => {
      const user = await em.findOne(User, { id: userId });
      if (!user) throw AppError.notFound('User', userId);
      if (!user.active) throw new AppError('CONFLICT', `${user.name} is inactive; reactivate them before creating a token.`);
      const issued = issueToken(em, user, label);
      await em.flush();
      return issued;
    });
  }

  async revokeToken(token: ApiToken): Promise<ApiToken> {
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await this.em.flush();
    }
    return token;
  }
}
