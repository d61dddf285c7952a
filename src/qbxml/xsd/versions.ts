/**
 * Which of Intuit's schema sets validates a given qbXML version. Intuit ships one ops XSD per SDK; we
 * keep the 13.0 and 16.0 sets (see spec/SOURCES.md). QuickBooks validates against the version named in the
 * `<?qbxml version="X.Y"?>` processing instruction.
 */

/** The schema sets available in the spec folder: `qbxmlops130.xsd` (+3 includes) and `qbxmlops160.xsd` (+3). */
export type QbxmlSchemaSet = '130' | '160';

/** A parsed `major.minor` qbXML version. */
export interface ParsedQbxmlVersion {
  readonly major: number;
  readonly minor: number;
}

/** Parses `"13.0"` → `{ major: 13, minor: 0 }`; undefined when the text is not a `N.N` version. */
export function parseQbxmlVersion(text: string): ParsedQbxmlVersion | undefined {
  const trimmed = text.trim();
  const dot = trimmed.indexOf('.');
  const majorText = dot < 0 ? trimmed : trimmed.slice(0, dot);
  const minorText = dot < 0 ? '0' : trimmed.slice(dot + 1);
  if (!/^\d{1,3}$/.test(majorText) || !/^\d{1,3}$/.test(minorText)) return undefined;
  return { major: Number(majorText), minor: Number(minorText) };
}

/**
 * The schema set for a qbXML version: 13.x and older → 130 (the 13.0 schema is a superset of the older ones
 * for what an integration sends); 14.0–16.x → 160. Newer versions than 16 have no schema here → undefined.
 */
export function schemaSetFor(version: ParsedQbxmlVersion): QbxmlSchemaSet | undefined {
  if (version.major <= 13) return '130';
  if (version.major <= 16) return '160';
  return undefined;
}

/** File name of the top-level ops XSD of a schema set (it includes the other three files of the set). */
export function opsSchemaFile(set: QbxmlSchemaSet): string {
  return `qbxmlops${set}.xsd`;
}

/** The four files of a schema set, in include order. */
export function schemaSetFiles(set: QbxmlSchemaSet): readonly string[] {
  return [`qbxmlops${set}.xsd`, `qbxmltypes${set}.xsd`, `qbxml${set}.xsd`, `qbxmlso${set}.xsd`];
}
