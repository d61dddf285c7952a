/**
 * Reading a QWC file (`<QBWCXML>`) the way the Web Connector does when the user adds an application,
 * and refusing what QBWC refuses (docs/qbwc-qbxml.md §4 and §5).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type QbType = 'QBFS' | 'QBPOS';

/** The parsed QWC file. Element names follow Intuit's spelling, in camelCase. */
export interface QwcFile {
  readonly appName: string;
  readonly appId: string | undefined;
  readonly appUrl: string;
  readonly appDescription: string;
  readonly appSupport: string;
  readonly userName: string;
  /** Braced GUID, as written in the file. */
  readonly ownerId: string;
  /** Braced GUID, as written in the file. */
  readonly fileId: string;
  readonly qbType: QbType;
  readonly appDisplayName: string | undefined;
  readonly appUniqueName: string | undefined;
  readonly isReadOnly: boolean | undefined;
  readonly scheduler: { readonly runEveryNMinutes?: number; readonly runEveryNSeconds?: number } | undefined;
  readonly personalDataPref: string | undefined;
  readonly unattendedModePref: string | undefined;
  readonly authFlags: string | undefined;
  readonly style: string | undefined;
}

/** Thrown for a QWC file the Web Connector would not accept; `problems` lists every reason. */
export class QwcValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Web Connector would refuse this QWC file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'QwcValidationError';
  }
}

/** Elements QBWC requires (JSG's model docs quoting the QBWC programmer's guide). */
const REQUIRED_ELEMENTS = [
  'AppName',
  'AppURL',
  'AppDescription',
  'AppSupport',
  'UserName',
  'OwnerID',
  'FileID',
  'QBType',
] as const;

/**
 * AppDescription may be present but empty: the widely used sample `spec/samples/qwc/example.qwc`
 * ships `<AppDescription></AppDescription>` [G that QBWC accepts it].
 */
const MAY_BE_EMPTY: ReadonlySet<string> = new Set(['AppDescription']);

const BRACED_GUID = /^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * Hosts for which QBWC accepts plain http: "this *MUST* be a HTTPS:// link *UNLESS* it's running on
 * localhost" (consolibyte QWC.php) and "Quickbooks *requires* HTTPS connections when connecting to remote
 * machines" (qbwc/qbwc README). The guide's "you can specify localhost or a machine name in place of the
 * domain name" is about the host part, not about dropping TLS, so a bare machine name still needs https.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Checks the AppURL rule alone; returns the problem text or undefined. */
export function appUrlProblem(appUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    return `AppURL "${appUrl}" is not an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `AppURL "${appUrl}" must use https:// (got ${url.protocol})`;
  if (isLoopbackHost(url.hostname)) return undefined;
  return (
    `AppURL "${appUrl}" uses http:// on a host other than localhost; ` +
    'the Web Connector only connects over https:// except to localhost during development'
  );
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && '#text' in value) return String((value as Record<string, unknown>)['#text']);
  if (typeof value === 'object') return '';
  return String(value);
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Parses and validates QWC XML; throws `QwcValidationError` listing every problem. */
export function parseQwc(xml: string): QwcFile {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    throw new QwcValidationError([
      `the file is not well-formed XML (line ${wellFormed.err.line}: ${wellFormed.err.msg})`,
    ]);
  }
  const doc = parser.parse(xml) as Record<string, unknown>;
  const root = doc['QBWCXML'];
  if (root === undefined || typeof root !== 'object' || root === null) {
    const found = Object.keys(doc).filter((k) => !k.startsWith('?'));
    throw new QwcValidationError([`the root element must be <QBWCXML> (found ${found.map((k) => `<${k}>`).join(', ') || 'nothing'})`]);
  }
  const el = root as Record<string, unknown>;
  const problems: string[] = [];

  const get = (name: string): string | undefined => {
    const value = el[name];
    if (Array.isArray(value)) {
      problems.push(`<${name}> appears ${value.length} times; it must appear once`);
      return text(value[0]);
    }
    return text(value);
  };

  const values = new Map<string, string>();
  for (const name of REQUIRED_ELEMENTS) {
    const value = get(name);
    if (value === undefined) {
      problems.push(`required element <${name}> is missing`);
    } else if (value === '' && !MAY_BE_EMPTY.has(name)) {
      problems.push(`required element <${name}> is empty`);
    } else {
      values.set(name, value);
    }
  }

  for (const name of ['OwnerID', 'FileID'] as const) {
    const value = values.get(name);
    if (value !== undefined && !BRACED_GUID.test(value)) {
      problems.push(`<${name}> "${value}" must be a GUID in braces, e.g. {57F3B9B6-86F1-4fcc-B1FF-966DE1813D20}`);
    }
  }

  const qbType = values.get('QBType');
  if (qbType !== undefined && qbType !== 'QBFS' && qbType !== 'QBPOS') {
    problems.push(`<QBType> "${qbType}" must be QBFS (QuickBooks Financial Software) or QBPOS (Point of Sale)`);
  }

  const appUrl = values.get('AppURL');
  const appSupport = values.get('AppSupport');
  if (appUrl !== undefined) {
    const problem = appUrlProblem(appUrl);
    if (problem) problems.push(problem);
  }
  if (appSupport !== undefined) {
    let support: URL | undefined;
    try {
      support = new URL(appSupport);
    } catch {
      problems.push(`AppSupport "${appSupport}" is not an absolute URL`);
    }
    let app: URL | undefined;
    try {
      app = appUrl === undefined ? undefined : new URL(appUrl);
    } catch {
      app = undefined;
    }
    if (support && support.protocol !== 'http:' && support.protocol !== 'https:') {
      problems.push(`AppSupport "${appSupport}" must be an http(s) URL`);
    } else if (support && app && support.hostname.toLowerCase() !== app.hostname.toLowerCase()) {
      // JSG quoting the guide: AppSupport must be in the same domain as AppURL.
      problems.push(
        `AppSupport "${appSupport}" is on host "${support.hostname}" but AppURL is on "${app.hostname}"; ` +
          'the Web Connector requires AppSupport on the same host as AppURL',
      );
    }
  }

  const isReadOnlyText = get('IsReadOnly');
  let isReadOnly: boolean | undefined;
  if (isReadOnlyText !== undefined && isReadOnlyText !== '') {
    if (isReadOnlyText.toLowerCase() === 'true') isReadOnly = true;
    else if (isReadOnlyText.toLowerCase() === 'false') isReadOnly = false;
    else problems.push(`<IsReadOnly> "${isReadOnlyText}" must be true or false`);
  }

  let scheduler: QwcFile['scheduler'];
  const schedulerEl = el['Scheduler'];
  if (schedulerEl !== undefined && typeof schedulerEl === 'object' && schedulerEl !== null) {
    const s = schedulerEl as Record<string, unknown>;
    const minutesText = text(s['RunEveryNMinutes']);
    const secondsText = text(s['RunEveryNSeconds']);
    const minutes = positiveInt(minutesText);
    const seconds = positiveInt(secondsText);
    if (minutesText !== undefined && minutes === undefined) problems.push(`<RunEveryNMinutes> "${minutesText}" must be a whole number`);
    if (secondsText !== undefined && seconds === undefined) problems.push(`<RunEveryNSeconds> "${secondsText}" must be a whole number`);
    scheduler = {
      ...(minutes !== undefined ? { runEveryNMinutes: minutes } : {}),
      ...(seconds !== undefined ? { runEveryNSeconds: seconds } : {}),
    };
  }

  if (problems.length > 0) throw new QwcValidationError(problems);

  const optional = (name: string): string | undefined => {
    const v = get(name);
    return v === '' ? undefined : v;
  };
  return Object.freeze({
    appName: values.get('AppName')!,
    appId: optional('AppID'),
    appUrl: appUrl!,
    appDescription: values.get('AppDescription')!,
    appSupport: appSupport!,
    userName: values.get('UserName')!,
    ownerId: values.get('OwnerID')!,
    fileId: values.get('FileID')!,
    qbType: qbType as QbType,
    appDisplayName: optional('AppDisplayName'),
    appUniqueName: optional('AppUniqueName'),
    isReadOnly,
    scheduler,
    personalDataPref: optional('PersonalDataPref'),
    unattendedModePref: optional('UnattendedModePref'),
    authFlags: optional('AuthFlags'),
    style: optional('Style'),
  });
}
