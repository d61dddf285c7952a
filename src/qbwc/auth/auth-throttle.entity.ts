import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed Web Connector sign-ins per (registration, client address), in the database so every instance
 * sees them. After too many failures in a window, authenticate answers "nvu" without checking the password.
 */
@Entity({ tableName: 'qbwc_auth_throttle' })
export class AuthThrottle {
  @PrimaryKey({ type: 'text' })
  key: string;

  @Property() failures: number = 0;
  @Property({ type: 'timestamptz' }) windowStartedAt: Date = new Date();
  @Property({ type: 'timestamptz', nullable: true }) blockedUntil: Date | null = null;

  constructor(key: string) {
    this.key = key;
  }
}
