/** The transfer ledger's resolvers. */
export const TRANSFER_RESOLVERS: Function[] = [];
