/**
 * What QBWC tells us about QuickBooks on the first sendRequestXML of a session (strHCPResponse: the
 * HostQueryRs, CompanyQueryRs and PreferencesQueryRs it ran itself; docs/qbwc-qbxml.md §2.4).
 */
import { parseResponseMessage } from './qbxml-message.js';
import { compareVersions } from './versions.js';

export interface HostInfo {
  readonly productName: string | null;
  /** e.g. "34.0" for QuickBooks 2024. */
  readonly productVersion: string | null;
  readonly country: string | null;
  /** qbXML versions QuickBooks supports, e.g. ["1.0", ..., "16.0"]. */
  readonly supportedQbxmlVersions: string[];
  readonly companyName: string | null;
}

/** Reads strHCPResponse; fields QuickBooks left out are null. Throws QbxmlMessageError when unreadable. */
export function parseHostInfo(hcp: string): HostInfo {
  const items = parseResponseMessage(hcp);
  const host = first(items.find((i) => i.type === 'HostQueryRs')?.body.HostRet);
  const company = first(items.find((i) => i.type === 'CompanyQueryRs')?.body.CompanyRet);
  const supported = host?.SupportedQBXMLVersion;
  return {
    productName: text(host?.ProductName),
    productVersion: host?.MajorVersion !== undefined ? `${text(host.MajorVersion)}.${text(host.MinorVersion) ?? '0'}` : null,
    country: text(host?.Country),
    supportedQbxmlVersions: (Array.isArray(supported) ? supported : supported === undefined ? [] : [supported]).map(String),
    companyName: text(company?.CompanyName),
  };
}

/**
 * The version for this session: the connector's cap, lowered to the highest version QuickBooks supports
 * (from the HCP list, else from the qbXMLMajorVers/MinorVers arguments).
 */
export function chooseQbxmlVersion(cap: string, host: HostInfo | null, major: number, minor: number): string {
  const supported = host?.supportedQbxmlVersions.length ? host.supportedQbxmlVersions : major > 0 ? [`${major}.${minor}`] : [];
  const highest = supported.reduce<string | null>((best, v) => (best === null || compareVersions(v, best) > 0 ? v : best), null);
  return highest !== null && compareVersions(highest, cap) < 0 ? highest : cap;
}

function first(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}
