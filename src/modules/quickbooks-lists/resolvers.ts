/** The QuickBooks list mirror's resolvers. */
import { ConnectorQuickBooksListsResolver, QuickBooksListElementResolver } from './quickbooks-lists.resolver.js';

export const QUICKBOOKS_LISTS_RESOLVERS: Function[] = [QuickBooksListElementResolver, ConnectorQuickBooksListsResolver];
