/**
 * QWC files: what the Web Connector loads ("Add an application") for one registration.
 *
 * ## The identity scheme, and why
 * The Web Connector (QBWC) identifies an application entry by AppName (or AppUniqueName), refuses a
 * second entry with an OwnerID/FileID pair it already has ("QBWC1039: Unique OwnerID/FileID pair value
 * required"), and on first contact writes the FileID into the company file as a private data extension
 * under the OwnerID. QuickBooks keys its Integrated Applications authorisation on the AppName.
 * Sources: ../shared/docs/qbwc-qbxml.md §5 (QWC elements, quoting Intuit's QBWC Programmer's Guide via
 * jsgoupil/quickbooks-sync WebConnectorQWCModel.cs; QBWC1039 in Expensify/App PR #90785; clone/replace mode
 * in qbwc/qbwc PR #72), §2.4 (DataExtRet in strHCPResponse, qbwc/qbwc test_helper.rb).
 *
 *  - **FileID = the connector's** (one braced GUID per connector, stable for its life): (a) every user of a
 *    connector presents the same FileID, so all are checked against the same company file.
 *  - **OwnerID = the registration's** (one braced GUID per QWC file): the OwnerID/FileID pair is then unique
 *    per QWC file, so (c) any number of them — several connectors for one user, several users on one shared
 *    terminal server — can sit in one Web Connector without QBWC1039.
 *  - **Our own stamp**: QBWC's FileID extension is written under each registration's OwnerID, so on a new
 *    user's first contact it proves nothing. The service therefore also writes its own data extension under
 *    the product-wide OwnerID below, holding the connector's FileID, when it binds a company file; every
 *    session reads it back first. (b) A wrong file is detected even on a new user's first connection.
 *  - **AppName = "<APP_NAME> - <connector name>"**, the same for every user of the connector: (e) the
 *    QuickBooks admin authorises the integration once per company file. **AppUniqueName = the registration
 *    id** keeps QBWC out of its clone/replace prompt for the second user with the same AppName ("If this
 *    element is available in QWC file, QBWC will not go into its typical clone/replace mode for AppName"),
 *    and AppDisplayName tells the entries apart on screen. [G: whether QBWC lists two entries sharing an
 *    AppName behind distinct AppUniqueNames is not confirmed by a source we could read; if it refuses, giving
 *    each registration its own AppName costs one extra authorisation per user and nothing else.]
 *  - **AppURL = <public base URL>/qbwc/<registration id>**: QBWC posts to the AppURL exactly and sends only
 *    the shared API credential's UserName, so (d) the path is how the endpoint knows which registration,
 *    connector and user every call serves.
 */
import { XMLBuilder } from 'fast-xml-parser';

/** The product-wide OwnerID under which the service stamps a company file with its connector's FileID. */
export const PRODUCT_OWNER_ID = '{6B1D4C7E-2F0A-4E83-9C55-3D8A71E0B9F2}';

export interface QwcInput {
  readonly appName: string;
  readonly connectorName: string;
  readonly registrationId: string;
  readonly registrationLabel: string | null;
  readonly personName: string;
  readonly credentialUserName: string;
  readonly ownerId: string;
  readonly fileId: string;
  readonly runEveryMinutes: number;
  readonly publicBaseUrl: string;
}

/** AppName for a connector; also what QuickBooks shows under Integrated Applications. */
export function appNameFor(appName: string, connectorName: string): string {
  return `${appName} - ${connectorName}`;
}

/** The Web Connector endpoint URL of one registration. */
export function appUrlFor(publicBaseUrl: string, registrationId: string): string {
  return `${publicBaseUrl}/qbwc/${registrationId}`;
}

/** True when QBWC will accept this AppURL: https, or http only on localhost (docs §4). */
export function isAcceptableAppUrl(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
}

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false });

/** Renders the QWC file. The element order follows Intuit's samples (QBWC itself reads elements by name). */
export function renderQwc(input: QwcInput): string {
  const display = `${appNameFor(input.appName, input.connectorName)} (${input.personName}${input.registrationLabel ? `, ${input.registrationLabel}` : ''})`;
  const doc = {
    QBWCXML: {
      AppName: appNameFor(input.appName, input.connectorName),
      AppUniqueName: input.registrationId,
      AppDisplayName: display,
      AppID: '',
      AppURL: appUrlFor(input.publicBaseUrl, input.registrationId),
      AppDescription: truncate(`Sends Autotask billing to QuickBooks company file "${input.connectorName}".`, 80),
      AppSupport: `${input.publicBaseUrl}/qbwc/support`,
      UserName: input.credentialUserName,
      OwnerID: input.ownerId,
      FileID: input.fileId,
      QBType: 'QBFS',
      Style: 'Document',
      Scheduler: { RunEveryNMinutes: input.runEveryMinutes },
      IsReadOnly: 'false',
      PersonalDataPref: 'pdpNotNeeded',
      UnattendedModePref: 'umpOptional',
    },
  };
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(doc) as string}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
