/** The transfer ledger's resolvers. */
import { TransferItemResolver } from './transfer.resolver.js';

export const TRANSFER_RESOLVERS: Function[] = [TransferItemResolver];
