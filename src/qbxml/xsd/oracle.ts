/**
 * Intuit's XSDs as an oracle for the generated rules: when the spec folder is there (QBXML_SPEC_DIR or
 * ../shared/spec, never part of the repository), tests validate every message with both libxml2 and the
 * rules and fail when they disagree; on a bare clone only the rules run.
 *
 * Why a cross-check and not a choice: the rules are what the simulator and the service use; the XSDs are an
 * independent reading of the same schema that catches a generator bug the rules alone cannot reveal.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { rulesDocumentValidator, type QbxmlDocumentValidator } from '../validate-document.js';
import { sharedQbxmlXsdValidator, type XsdValidationResult } from './validator.js';
import { qbxmlModelOfSet } from '../validate.js';
import { schemaSetFiles, type QbxmlSchemaSet } from './versions.js';

/** Whether `specDir` holds Intuit's qbXML XSDs (both schema sets). */
export function hasQbxmlSchemas(specDir: string | undefined): specDir is string {
  return specDir !== undefined && [...schemaSetFiles('130'), ...schemaSetFiles('160')].every((file) => existsSync(path.join(specDir, file)));
}

/** Thrown when libxml2 with Intuit's XSDs and the generated rules judge one document differently. */
export class QbxmlOracleDisagreement extends Error {
  constructor(
    readonly rules: XsdValidationResult,
    readonly xsd: XsdValidationResult,
    xml: string,
  ) {
    super(
      `the generated qbXML rules and Intuit's XSD disagree (rules: ${verdict(rules)}, XSD: ${verdict(xsd)})\n` +
        `rules: ${JSON.stringify(rules.problems.map((p) => p.message))}\nXSD: ${JSON.stringify(xsd.problems.map((p) => p.message))}\n${xml.slice(0, 2000)}`,
    );
    this.name = 'QbxmlOracleDisagreement';
  }
}

/** Whether an XPath (`/QBXML/QBXMLMsgsRq/CheckAddRq/...`) points into a request the generated rules do not describe. */
function isOutsideTheMessageSet(xpath: string | undefined, schemaSet: QbxmlSchemaSet | undefined): boolean {
  const step = xpath?.split('/')[3]?.replace(/\[\d+\]$/, '');
  if (!step || !schemaSet) return false;
  return !qbxmlModelOfSet(schemaSet).requests.has(step.replace(/Rs$/, 'Rq'));
}

function verdict(result: XsdValidationResult): string {
  const fatal = result.problems.filter((p) => !p.tooLong).length;
  const tooLong = result.problems.length - fatal;
  return fatal > 0 ? 'rejected' : tooLong > 0 ? 'only too long' : 'valid';
}

/**
 * The rules validator, cross-checked against libxml2 with the XSDs of `specDir` when they are there
 * (a disagreement throws {@link QbxmlOracleDisagreement}); the plain rules validator otherwise.
 */
export function oracleCheckedValidator(specDir: string | undefined): QbxmlDocumentValidator {
  if (!hasQbxmlSchemas(specDir)) return rulesDocumentValidator;
  const xsd = sharedQbxmlXsdValidator(specDir);
  return {
    validate(xml, options) {
      const fromRules = rulesDocumentValidator.validate(xml, options);
      const fromXsd = xsd.validate(xml, options);
      if (verdict(fromRules) === verdict(fromXsd)) return fromRules;
      // The rules know requests outside the message set by name only: what the XSD finds inside them is not a
      // disagreement, and the oracle's verdict (the one QuickBooks would give) is the answer.
      if (fromXsd.problems.every((p) => isOutsideTheMessageSet(p.path, fromRules.schemaSet))) return fromXsd;
      throw new QbxmlOracleDisagreement(fromRules, fromXsd, xml);
    },
  };
}
