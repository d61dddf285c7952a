/** QWC files for the emulator tests. */

export const TEST_OWNER_ID = '{57F3B9B6-86F1-4fcc-B1FF-966DE1813D20}';
export const TEST_FILE_ID = '{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}';

export type QwcElementName =
  | 'AppName'
  | 'AppID'
  | 'AppURL'
  | 'AppDescription'
  | 'AppSupport'
  | 'UserName'
  | 'OwnerID'
  | 'FileID'
  | 'QBType'
  | 'IsReadOnly'
  | 'Style';

/** A QWC file; `overrides` replace element values, `null` leaves an element out. */
export function buildQwc(appUrl: string, overrides: Partial<Record<QwcElementName, string | null>> = {}): string {
  const support = new URL(appUrl);
  support.pathname = '/support';
  const values: Record<QwcElementName, string | null> = {
    AppName: 'qbd-bridge test',
    AppID: '',
    AppURL: appUrl,
    AppDescription: 'Autotask billing into QuickBooks (test)',
    AppSupport: support.toString(),
    UserName: 'tenant-42',
    OwnerID: TEST_OWNER_ID,
    FileID: TEST_FILE_ID,
    QBType: 'QBFS',
    IsReadOnly: 'false',
    Style: null,
    ...overrides,
  };
  const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const order: QwcElementName[] = ['AppName', 'AppID', 'AppURL', 'AppDescription', 'AppSupport', 'UserName', 'OwnerID', 'FileID', 'QBType'];
  const lines = order.filter((k) => values[k] !== null).map((k) => `  <${k}>${escape(values[k]!)}</${k}>`);
  lines.push('  <Scheduler><RunEveryNMinutes>15</RunEveryNMinutes></Scheduler>');
  for (const k of ['IsReadOnly', 'Style'] as const) if (values[k] !== null) lines.push(`  <${k}>${escape(values[k]!)}</${k}>`);
  return `<?xml version="1.0"?>\n<QBWCXML>\n${lines.join('\n')}\n</QBWCXML>\n`;
}
