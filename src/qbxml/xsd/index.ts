/** qbXML schema support: validation against Intuit's XSDs and the XSD-derived element order. */
export * from './versions.js';
export * from './validator.js';
export * from './schema-model.js';
