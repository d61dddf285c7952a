/** The Autotask entities' resolvers (organizations, resources, invoices, payments). */
import { OrganizationQbLinkResolver, OrganizationResolver } from './organization.resolver.js';
import { ResourceResolver } from './resource.resolver.js';
import { InvoiceResolver, PaymentResolver } from './invoice.resolver.js';

export const AUTOTASK_RESOLVERS: Function[] = [OrganizationResolver, OrganizationQbLinkResolver, ResourceResolver, InvoiceResolver, PaymentResolver];
