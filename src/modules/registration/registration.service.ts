import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../app/config.js';
import { AppError } from '../../errors/app-error.js';
import { assertMayRead, mayRead } from '../../graphql/policy.js';
import { Connector } from '../connector/connector.entity.js';
import { ApiCredential } from '../credential/api-credential.entity.js';
import { Role } from '../user/role.js';
import { User } from '../user/user.entity.js';
import { Registration } from './registration.entity.js';
import { renderQwc } from './qwc.js';

export interface CreateRegistrationArgs {
  readonly connectorId: string;
  readonly userId: string;
  readonly credentialId?: string | null;
  readonly label?: string | null;
}

/** Registrations (a user on a connector) and their QWC files. */
export class RegistrationService {
  constructor(private readonly em: EntityManager) {}

  async create(args: CreateRegistrationArgs): Promise<Registration> {
    return this.em.transactional(async (em) => {
      const connector = await em.findOne(Connector, { id: args.connectorId });
      if (!connector) throw AppError.notFound('Connector', args.connectorId);
      const user = await em.findOne(User, { id: args.userId });
      if (!user) throw AppError.notFound('User', args.userId);
      if (!user.active) {
        throw AppError.invalidInput([{ field: 'userId', message: `${user.name} is inactive` }]);
      }
      if (user.role === Role.VIEWER) {
        throw AppError.invalidInput([{ field: 'userId', message: `${user.name} is a VIEWER; only ACCOUNTANTs and ADMINs run the Web Connector` }]);
      }
      const credential = await pickCredential(em, args.credentialId);
      const registration = new Registration(connector, user, credential, args.label ?? null);
      await em.persist(registration).flush();
      return registration;
    });
  }

  async revoke(id: string): Promise<Registration> {
    const registration = await this.em.findOne(Registration, { id });
    if (!registration) throw AppError.notFound('Registration', id);
    if (!registration.revokedAt) {
      registration.revokedAt = new Date();
      await this.em.flush();
    }
    return registration;
  }

  /** The QWC file of a registration, under the Registration policy of the GraphQL API (policy.ts). */
  async qwcFor(id: string, requester: User, config: Pick<Config, 'appName' | 'publicBaseUrl'>): Promise<{ registration: Registration; xml: string }> {
    assertMayRead(requester, 'Registration');
    const registration = await this.em.findOne(Registration, { id }, { populate: ['connector', 'user', 'credential'] });
    if (!registration || !mayRead(requester, 'Registration', registration)) {
      // Same answer for "absent" and "not yours": ids of other people's registrations are not confirmed.
      throw AppError.notFound('Registration', id);
    }
    if (registration.revokedAt) {
      throw new AppError('CONFLICT', 'This registration was revoked; create a new one to get a QWC file.');
    }
    const { connector, user, credential } = registration;
    return { registration, xml: qwcXml({ registration, connector, user, credential }, config) };
  }
}

export interface RegistrationParts {
  readonly registration: Pick<Registration, 'id' | 'label' | 'ownerId'>;
  readonly connector: Connector;
  readonly user: User;
  readonly credential: ApiCredential;
}

/** Renders the QWC file of a registration. */
export function qwcXml({ registration, connector, user, credential }: RegistrationParts, config: Pick<Config, 'appName' | 'publicBaseUrl'>): string {
  return renderQwc({
    appName: config.appName,
    connectorName: connector.name,
    registrationId: registration.id,
    registrationLabel: registration.label,
    personName: user.name,
    credentialUserName: credential.userName,
    ownerId: registration.ownerId,
    fileId: connector.fileId,
    runEveryMinutes: connector.runEveryMinutes,
    publicBaseUrl: config.publicBaseUrl,
  });
}

async function pickCredential(em: EntityManager, credentialId: string | null | undefined): Promise<ApiCredential> {
  if (credentialId) {
    const credential = await em.findOne(ApiCredential, { id: credentialId });
    if (!credential) throw AppError.invalidInput([{ field: 'credentialId', message: `no API credential has id ${credentialId}` }]);
    return credential;
  }
  const active = await em.find(ApiCredential, { active: true }, { limit: 2 });
  if (active.length === 1) return active[0]!;
  throw AppError.invalidInput([
    {
      field: 'credentialId',
      message: active.length === 0 ? 'create an API credential first (createApiCredential)' : 'is required when there is more than one active API credential',
    },
  ]);
}
