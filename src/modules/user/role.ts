import { registerEnumType } from 'type-graphql';

/** What a person may do. Each role includes the ones below it: ADMIN > ACCOUNTANT > VIEWER. */
export enum Role {
  /** Configures connectors, users, credentials, mappings and routing. */
  ADMIN = 'ADMIN',
  /** Queues and reviews transfers; gets their own Web Connector (QWC) files. */
  ACCOUNTANT = 'ACCOUNTANT',
  /** Reads everything except secrets and the audit log. */
  VIEWER = 'VIEWER',
}

const RANK: Record<Role, number> = { [Role.VIEWER]: 1, [Role.ACCOUNTANT]: 2, [Role.ADMIN]: 3 };

/** True when `actual` is `needed` or above it. */
export function roleAllows(actual: Role, needed: Role): boolean {
  return RANK[actual] >= RANK[needed];
}

registerEnumType(Role, { name: 'Role', description: 'ADMIN configures; ACCOUNTANT queues and reviews transfers; VIEWER reads.' });
