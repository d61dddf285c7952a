/**
 * Validation of qbXML documents against Intuit's XSDs with libxml2 (compiled to wasm).
 *
 * Why libxml2-wasm: it keeps the compiled schema in memory, so a validation costs well under a millisecond
 * after a one-off ~0.2 s schema load per schema set (xmllint re-parses the 1 MB schema on every call).
 * The schema files are read from the spec folder at run time (never copied into the repo) and handed to
 * libxml2 through an in-memory input provider, so `xsd:include schemaLocation="qbxml130.xsd"` resolves
 * without giving libxml2 general file-system access.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  XmlBufferInputProvider,
  XmlDocument,
  XmlLibError,
  XsdValidator,
  xmlRegisterInputProvider,
  type ErrorDetail,
} from 'libxml2-wasm';
import { opsSchemaFile, parseQbxmlVersion, schemaSetFiles, schemaSetFor, type QbxmlSchemaSet } from './versions.js';

/** One reason a document does not validate. */
export interface XsdProblem {
  /** `not-well-formed`: not XML at all; `no-version`: no usable `<?qbxml version?>`; `invalid`: breaks the schema. */
  readonly kind: 'not-well-formed' | 'no-version' | 'invalid';
  /** 1-based line in the validated document (0 when libxml2 does not know). */
  readonly line: number;
  readonly column: number;
  /** libxml2's message, e.g. `Element 'Bogus': This element is not expected. Expected is one of ( ... ).` */
  readonly message: string;
  /** XPath of the offending element, e.g. `/QBXML/QBXMLMsgsRq/CustomerAddRq[2]/CustomerAdd/Name`. */
  readonly path?: string;
  /**
   * Set when the only thing wrong with the element is a value longer than its `maxLength` facet.
   * QuickBooks does not treat this as a parse error: it answers the request with status 3070.
   */
  readonly tooLong?: { readonly element: string; readonly value: string; readonly maxLength: number };
}

/** Outcome of validating one document. */
export interface XsdValidationResult {
  readonly valid: boolean;
  /** The schema set used (undefined when the version could not be determined). */
  readonly schemaSet: QbxmlSchemaSet | undefined;
  readonly problems: readonly XsdProblem[];
}

/** Options of {@link QbxmlXsdValidator.validate}. */
export interface XsdValidateOptions {
  /**
   * Validate against this schema set instead of the one the `<?qbxml version?>` instruction names.
   * Needed for responses: QuickBooks' responses carry no qbxml processing instruction.
   */
  readonly schemaSet?: QbxmlSchemaSet;
}

/** Validates qbXML documents (requests or responses) against the ops XSDs of the spec folder. */
export interface QbxmlXsdValidator {
  /** The folder the XSDs are read from. */
  readonly specDir: string;
  /** Validates one document; never throws for bad input, only reports problems. */
  validate(xml: string, options?: XsdValidateOptions): XsdValidationResult;
  /** Loads a schema set now instead of on first use (to keep the first validation fast in tests). */
  preload(set: QbxmlSchemaSet): void;
  /** Frees the compiled schemas (wasm memory). The validator must not be used afterwards. */
  dispose(): void;
}

// One input provider for the whole process: libxml2 keeps a global list of providers, so registering one
// per validator would grow it forever. Buffers are keyed by absolute file path.
let sharedProvider: XmlBufferInputProvider | undefined;
function inputProvider(): XmlBufferInputProvider {
  if (!sharedProvider) {
    sharedProvider = new XmlBufferInputProvider({});
    xmlRegisterInputProvider(sharedProvider);
  }
  return sharedProvider;
}

const MAX_LENGTH_FACET = /^Element '([^']+)': \[facet 'maxLength'\] The value has a length of '\d+'; this exceeds the allowed maximum length of '(\d+)'\.$/;
// libxml2 follows a facet failure inside a union/derived type with "... is not a valid value of the
// (local) atomic type" for the same element: a consequence of the same over-long value, not a second error.
const ATOMIC_TYPE_FOLLOW_UP = /^Element '[^']+': '[\s\S]*' is not a valid value of the (local )?atomic type/;

interface LoadedSchema {
  readonly schemaDoc: XmlDocument;
  readonly validator: XsdValidator;
}

const shared = new Map<string, QbxmlXsdValidator>();

/**
 * A process-wide validator for `specDir`, created on first use and never disposed: loading a schema set
 * costs ~0.1–0.2 s, so every simulator and test in a process should share one.
 */
export function sharedQbxmlXsdValidator(specDir: string): QbxmlXsdValidator {
  const key = path.resolve(specDir);
  let validator = shared.get(key);
  if (!validator) {
    validator = createQbxmlXsdValidator(key);
    shared.set(key, validator);
  }
  return validator;
}

/** Creates a validator that reads `qbxmlops130.xsd` / `qbxmlops160.xsd` (and their includes) from `specDir`. */
export function createQbxmlXsdValidator(specDir: string): QbxmlXsdValidator {
  const schemas = new Map<QbxmlSchemaSet, LoadedSchema>();
  let disposed = false;

  function load(set: QbxmlSchemaSet): LoadedSchema {
    if (disposed) throw new Error('the qbXML XSD validator has been disposed');
    const cached = schemas.get(set);
    if (cached) return cached;
    const provider = inputProvider();
    for (const file of schemaSetFiles(set)) {
      const full = path.resolve(specDir, file);
      provider.addBuffer(full, readFileSync(full));
    }
    const opsPath = path.resolve(specDir, opsSchemaFile(set));
    const schemaDoc = XmlDocument.fromBuffer(readFileSync(opsPath), { url: opsPath });
    try {
      const loaded = { schemaDoc, validator: XsdValidator.fromDoc(schemaDoc) };
      schemas.set(set, loaded);
      return loaded;
    } catch (error) {
      schemaDoc.dispose();
      throw error;
    }
  }

  function validate(xml: string, options: XsdValidateOptions = {}): XsdValidationResult {
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromString(xml);
    } catch (error) {
      return { valid: false, schemaSet: options.schemaSet, problems: detailsOf(error).map((d) => problem('not-well-formed', d)) };
    }
    try {
      const set = options.schemaSet ?? schemaSetOfDocument(doc);
      if (set === undefined) {
        return {
          valid: false,
          schemaSet: undefined,
          problems: [{ kind: 'no-version', line: 0, column: 0, message: 'The document has no usable <?qbxml version="X.Y"?> processing instruction.' }],
        };
      }
      const { validator } = load(set);
      try {
        validator.validate(doc);
        return { valid: true, schemaSet: set, problems: [] };
      } catch (error) {
        if (!(error instanceof XmlLibError)) throw error;
        return { valid: false, schemaSet: set, problems: classify(doc, error.details) };
      }
    } finally {
      doc.dispose();
    }
  }

  return {
    specDir,
    validate,
    preload: (set) => void load(set),
    dispose() {
      disposed = true;
      for (const { validator, schemaDoc } of schemas.values()) {
        validator.dispose();
        schemaDoc.dispose();
      }
      schemas.clear();
    },
  };
}

/** The schema set named by the document's `<?qbxml version="X.Y"?>` instruction. */
function schemaSetOfDocument(doc: XmlDocument): QbxmlSchemaSet | undefined {
  // XPath can address processing instructions directly; its text is the pseudo-attribute list.
  const text = doc.eval('string(/processing-instruction("qbxml"))');
  if (typeof text !== 'string') return undefined;
  const version = versionPseudoAttribute(text);
  const parsed = version === undefined ? undefined : parseQbxmlVersion(version);
  return parsed && schemaSetFor(parsed);
}

/** The value of `version="..."` in a processing instruction's text (pseudo-attributes, not XML). */
export function versionPseudoAttribute(piText: string): string | undefined {
  const match = /(?:^|\s)version\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(piText);
  return match ? (match[1] ?? match[2]) : undefined;
}

function detailsOf(error: unknown): ErrorDetail[] {
  if (error instanceof XmlLibError && error.details.length > 0) return error.details;
  return [{ message: error instanceof Error ? error.message : String(error), line: 0, col: 0, level: 3 } as ErrorDetail];
}

function problem(kind: XsdProblem['kind'], detail: ErrorDetail): XsdProblem {
  const xpath = detail.xpath;
  return { kind, line: detail.line, column: detail.col, message: detail.message.trim(), ...(xpath ? { path: xpath } : {}) };
}

/** Turns libxml2's details into problems, recognising pure "value too long" errors. */
function classify(doc: XmlDocument, details: readonly ErrorDetail[]): XsdProblem[] {
  const problems: XsdProblem[] = [];
  const tooLongPaths = new Set<string>();
  for (const detail of details) {
    const base = problem('invalid', detail);
    const facet = MAX_LENGTH_FACET.exec(base.message);
    if (facet && base.path) {
      const node = doc.get(base.path);
      problems.push({ ...base, tooLong: { element: facet[1]!, value: node?.content ?? '', maxLength: Number(facet[2]) } });
      tooLongPaths.add(base.path);
      continue;
    }
    if (base.path && tooLongPaths.has(base.path) && ATOMIC_TYPE_FOLLOW_UP.test(base.message)) continue;
    problems.push(base);
  }
  return problems;
}
