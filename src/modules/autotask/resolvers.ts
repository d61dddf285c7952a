/** The Autotask entities' resolvers (organizations, resources, invoices, payments). */
export const AUTOTASK_RESOLVERS: Function[] = [];
