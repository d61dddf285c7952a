/**
 * The one Autotask connection: storing it (after proving the credentials work), reading it, and turning it
 * into a client (decrypting the secret, rediscovering the zone when none is cached).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';
import { AppError, type FieldProblem } from '../../errors/app-error.js';
import { AutotaskConnection, AutotaskInvoiceSelection, CONNECTION_SLOT } from './autotask-connection.entity.js';
import type { SetAutotaskConnectionInput } from './autotask-connection.inputs.js';
import { AutotaskClient, discoverZone, type AutotaskCredentials, type AutotaskHttpOptions } from './client.js';
import { AutotaskApiError, missingCredentialsKey, notConfigured } from './errors.js';
import { where } from './filter.js';
import { decryptSecret, encryptSecret } from './secret-box.js';
import type { AtZoneInfo } from './types.js';

/** What every Autotask operation needs besides the database. */
export interface AutotaskRuntime {
  readonly config: Pick<Config, 'autotask'>;
  readonly logger?: Logger;
  /** Client options (tests inject fetch, retry timings). */
  readonly http?: AutotaskHttpOptions;
  /** Set by {@link reusingClient}: the client opened once for a run of many calls. */
  readonly shared?: { current?: Promise<OpenedClient> };
}

type OpenedClient = { client: AutotaskClient; connection: AutotaskConnection };

/**
 * A runtime for a run of many Autotask calls (a write-back batch, a customer import): the stored connection is
 * read and its secret decrypted once, on first use, instead of for every call. A failed opening is tried again.
 */
export function reusingClient(runtime: AutotaskRuntime): AutotaskRuntime {
  return { ...runtime, shared: {} };
}

/** Additional data bound into the ciphertext (see secret-box.ts). */
const SECRET_PURPOSE = 'AutotaskConnection.secret';

export async function getAutotaskConnection(em: EntityManager): Promise<AutotaskConnection | null> {
  return em.findOne(AutotaskConnection, { slot: CONNECTION_SLOT });
}

/**
 * Stores the connection after checking it against Autotask: the user's zone is discovered, then one cheap
 * authenticated query (Invoices, one id) proves the user name, secret and tracking identifier and the right to
 * read invoices. Nothing is stored when any of that fails, nor when AUTOTASK_CREDENTIALS_KEY is missing.
 */
export async function setAutotaskConnection(em: EntityManager, runtime: AutotaskRuntime, input: SetAutotaskConnectionInput): Promise<AutotaskConnection> {
  const key = runtime.config.autotask.credentialsKey;
  if (!key) throw missingCredentialsKey('store the Autotask credentials');
  const existing = await getAutotaskConnection(em);

  const problems: FieldProblem[] = [];
  const userChanged = existing !== null && existing.userName.toLowerCase() !== input.userName.toLowerCase();
  if (!input.secret && (!existing || userChanged)) {
    problems.push({ field: 'input.secret', message: existing ? 'is required when the user name changes' : 'is required the first time the connection is set' });
  }
  const selection = input.invoiceSelection ?? existing?.invoiceSelection ?? AutotaskInvoiceSelection.UNPROCESSED;
  const batchId = input.invoiceBatchId !== undefined ? input.invoiceBatchId : (existing?.invoiceBatchId ?? null);
  if (selection === AutotaskInvoiceSelection.BATCH && batchId == null) {
    problems.push({ field: 'input.invoiceBatchId', message: 'is required when invoiceSelection is BATCH' });
  }
  const ruleTypes = (input.billingItemKinds ?? []).map((r) => r.billingItemType);
  ruleTypes.forEach((t, i) => {
    if (ruleTypes.indexOf(t) !== i) problems.push({ field: `input.billingItemKinds.${i}.billingItemType`, message: `repeats ${t}` });
  });
  if (problems.length) throw AppError.invalidInput(problems);

  const secret = input.secret || decryptSecret(existing!.secretEncrypted, key, SECRET_PURPOSE);
  const credentials: AutotaskCredentials = { userName: input.userName, integrationCode: input.integrationCode, secret };
  const zone = await checkCredentials(runtime, credentials);

  return em.transactional(async (tx) => {
    let connection = await getAutotaskConnection(tx);
    const encrypted = input.secret ? encryptSecret(input.secret, key, SECRET_PURPOSE) : null;
    if (!connection) {
      connection = new AutotaskConnection(input.userName, input.integrationCode, encrypted!);
      tx.persist(connection);
    } else {
      connection.userName = input.userName;
      connection.integrationCode = input.integrationCode;
      if (encrypted) {
        connection.secretEncrypted = encrypted;
        connection.secretUpdatedAt = new Date();
      }
    }
    connection.zoneName = zone.zoneName || null;
    connection.zoneUrl = zone.url;
    connection.webUrl = zone.webUrl || null;
    connection.invoiceSelection = selection;
    connection.invoiceBatchId = batchId;
    if (input.invoicesFrom !== undefined) connection.invoicesFrom = input.invoicesFrom || null;
    if (input.writeBackInvoiceNumber != null) connection.writeBackInvoiceNumber = input.writeBackInvoiceNumber;
    if (input.pullResources != null) connection.pullResources = input.pullResources;
    if (input.pullAllCompanies != null) connection.pullAllCompanies = input.pullAllCompanies;
    if (input.billingItemKinds) connection.billingItemKinds = input.billingItemKinds.map((r) => ({ billingItemType: r.billingItemType, kind: r.kind }));
    if (input.newCompanyType != null) connection.newCompanyType = input.newCompanyType;
    if (input.newCompanyOwnerResourceId !== undefined) connection.newCompanyOwnerResourceId = input.newCompanyOwnerResourceId;
    if (input.enabled != null) connection.enabled = input.enabled;
    if (input.pullEveryMinutes != null) connection.pullEveryMinutes = input.pullEveryMinutes;
    await tx.flush();
    return connection;
  });
}

/** Zone discovery plus one authenticated query; failures become field-level input errors. */
async function checkCredentials(runtime: AutotaskRuntime, credentials: AutotaskCredentials): Promise<AtZoneInfo> {
  try {
    const zone = await discoverZone(runtime.config.autotask.zoneLookupUrl, credentials.userName, runtime.http);
    const client = new AutotaskClient(credentials, zone.url, runtime.http);
    await client.pages('Invoices', { filter: [where.eq('id', 0)], includeFields: ['id'], maxRecords: 1 }).next();
    return zone;
  } catch (error) {
    if (error instanceof AutotaskApiError && (error.failure === 'auth' || error.failure === 'forbidden')) {
      throw new AppError('VALIDATION_FAILED', error.message, {
        fields: error.fields.map((f) => ({ field: `input.${f.field}`, message: f.message })),
        cause: error,
      });
    }
    throw error;
  }
}

/** A client for the stored connection; discovers (and caches) the zone when none is stored. */
export async function clientFor(em: EntityManager, runtime: AutotaskRuntime, connection?: AutotaskConnection | null): Promise<OpenedClient> {
  const shared = runtime.shared;
  if (connection || !shared) return openClient(em, runtime, connection);
  shared.current ??= openClient(em, runtime).catch((error: unknown) => {
    shared.current = undefined;
    throw error;
  });
  return shared.current;
}

async function openClient(em: EntityManager, runtime: AutotaskRuntime, connection?: AutotaskConnection | null): Promise<OpenedClient> {
  const conn = connection ?? (await getAutotaskConnection(em));
  if (!conn) throw notConfigured();
  const key = runtime.config.autotask.credentialsKey;
  if (!key) throw missingCredentialsKey('use the stored Autotask credentials');
  const credentials: AutotaskCredentials = {
    userName: conn.userName,
    integrationCode: conn.integrationCode,
    secret: decryptSecret(conn.secretEncrypted, key, SECRET_PURPOSE),
  };
  let zoneUrl = conn.zoneUrl;
  if (!zoneUrl) {
    const zone = await discoverZone(runtime.config.autotask.zoneLookupUrl, conn.userName, runtime.http);
    zoneUrl = zone.url;
    await em.nativeUpdate(AutotaskConnection, { id: conn.id }, { zoneUrl: zone.url, zoneName: zone.zoneName || null, webUrl: zone.webUrl || null });
  }
  return { client: new AutotaskClient(credentials, zoneUrl, { ...runtime.http, logger: runtime.http?.logger ?? runtime.logger }), connection: conn };
}
