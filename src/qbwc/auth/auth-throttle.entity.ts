import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed Web Connector sign-ins per client address (`address:<ip>`) or per credential user name
 * (`user:<name>`), in the database so every instance sees them. Written and pruned by set-based statements in
 * sign-in-throttle.ts; after too many failures in a window, authenticate answers "nvu" without checking the
 * password. Indexed by window start so pruning old rows stays cheap however many addresses tried.
 */
@Entity({ tableName: 'qbwc_auth_throttle' })
export class AuthThrottle {
  @PrimaryKey({ type: 'text' })
  key: string;

  @Property() failures: number = 0;
  @Index({ name: 'qbwc_auth_throttle_window_started_at_index' })
  @Property({ type: 'timestamptz' })
  windowStartedAt: Date = new Date();
  @Property({ type: 'timestamptz', nullable: true }) blockedUntil: Date | null = null;

  constructor(key: string) {
    this.key = key;
  }
}
