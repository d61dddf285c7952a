/** qbXML schema support: validation against Intuit's XSDs (the tests' oracle) and the XSD-derived element order. */
export * from './versions.js';
export * from './validator.js';
export * from './schema-model.js';
export * from './oracle.js';
