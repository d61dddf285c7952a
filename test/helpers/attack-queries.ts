/** The GraphQL documents issue #10 attacked the service with, for the query-limit tests in-process and against a process. */

/** `{ connectors { nodes { registrations { connector { registrations ... id } } } } }` nested `levels` times. */
export function cycleQuery(levels: number, first = 200): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = (levels - 1 - i) % 2 === 0 ? `registrations { ${inner} }` : `connector { ${inner} }`;
  return `{ connectors(first: ${first}) { nodes { ${inner} } } }`;
}

/** One registration field under `count` aliases (each alias resolves it again; `qwc` renders the QWC file each time). */
export function aliasQuery(count: number, field = 'qwc'): string {
  return `{ connectors(first: 1) { nodes { registrations { ${Array.from({ length: count }, (_, i) => `q${i}: ${field}`).join(' ')} } } } }`;
}
