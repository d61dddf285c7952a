/**
 * What scripts (and the Autotask pull) push for purchasing: vendors, products, and purchase orders with their
 * lines and receipts, keyed by Autotask id. As for invoices, every push carries the whole record; a purchase
 * order's lines (and a line's receipts) replace the stored ones. Lengths follow Autotask's own limits.
 */
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { AddressInput } from '../../shared/address.js';
import { AUTOTASK_ID, BatchSize, MAX_BATCH } from '../autotask/autotask.inputs.js';
import { IsCalendarDate, IsDecimal4 } from '../autotask/autotask-values.js';
import { PurchaseOrderStatus } from './purchase-order-status.js';

/** Most lines one purchase order may have. */
export const MAX_PURCHASE_ORDER_LINES = 500;


@InputType({ description: 'An Autotask vendor (Companies row of a vendor type).' })
export class VendorInput {
  @Field(() => Int, { description: 'Autotask Companies.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field({ description: 'Autotask companyName.' }) @Length(1, 100, { message: 'must be 1 to 100 characters' }) name!: string;
  @Field(() => AddressInput, { nullable: true }) @IsOptional() @ValidateNested() address?: AddressInput | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(25, { message: 'must be at most 25 characters' }) phone?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(25, { message: 'must be at most 25 characters' }) fax?: string | null;
}

@InputType()
export class UpsertVendorsInput {
  @Field(() => [VendorInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('vendor')
  vendors!: VendorInput[];
}

@InputType({ description: 'An Autotask product.' })
export class ProductInput {
  @Field(() => Int, { description: 'Autotask Products.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field() @Length(1, 100, { message: 'must be 1 to 100 characters' }) name!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000, { message: 'must be at most 2000 characters' }) description?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50, { message: 'must be at most 50 characters' }) sku?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50, { message: 'must be at most 50 characters' }) manufacturerPartNumber?: string | null;
  @Field(() => String, { nullable: true, description: 'Decimal string, up to 4 decimals.' }) @IsOptional() @IsDecimal4() unitCost?: string | null;
  @Field(() => String, { nullable: true, description: 'Decimal string, up to 4 decimals.' }) @IsOptional() @IsDecimal4() unitPrice?: string | null;
  @Field(() => String, { nullable: true, description: 'Autotask productBillingCodeID.' }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) billingCodeId?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Stocked in Autotask inventory.' }) @IsOptional() isInventory?: boolean;
  @Field(() => Int, { nullable: true, description: 'On-hand units over every inventory location.' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must not be negative' })
  quantityOnHand?: number | null;
}

@InputType()
export class UpsertProductsInput {
  @Field(() => [ProductInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('product')
  products!: ProductInput[];
}

@InputType({ description: 'Goods received against a purchase order line (Autotask PurchaseOrderItemReceiving).' })
export class PurchaseOrderReceiptInput {
  @Field(() => Int, { description: 'Autotask PurchaseOrderItemReceiving.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field({ description: 'Units received now (quantityNowReceiving).' }) @IsDecimal4() quantity!: string;
  @Field({ description: 'YYYY-MM-DD.' }) @IsCalendarDate() receiveDate!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50, { message: 'must be at most 50 characters' }) vendorInvoiceNumber?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) @IsOptional() isCancelled?: boolean;
}

@InputType({ description: 'Goods received against a purchase order line, pushed on their own (Autotask PurchaseOrderItemReceiving).' })
export class PurchaseOrderReceiptPushInput extends PurchaseOrderReceiptInput {
  @Field(() => Int, { description: 'Autotask purchaseOrderItemID: the line received; push its purchase order first.' }) @Min(1, AUTOTASK_ID) purchaseOrderLineAutotaskId!: number;
}

@InputType()
export class UpsertPurchaseOrderReceiptsInput {
  @Field(() => [PurchaseOrderReceiptPushInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('receipt')
  receipts!: PurchaseOrderReceiptPushInput[];
}

@InputType({ description: 'One purchase order line (Autotask PurchaseOrderItems); lines are numbered in the order given.' })
export class PurchaseOrderLineInput {
  @Field(() => Int, { description: 'Autotask PurchaseOrderItems.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field(() => Int, { description: 'Autotask productID; push the product with upsertProducts first.' }) @Min(1, AUTOTASK_ID) productAutotaskId!: number;
  @Field({ description: 'Decimal string, up to 4 decimals.' }) @IsDecimal4() quantity!: string;
  @Field({ description: 'Decimal string, up to 4 decimals.' }) @IsDecimal4() unitCost!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000, { message: 'must be at most 4000 characters' }) memo?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) lineOfBusinessId?: string | null;
  @Field(() => [PurchaseOrderReceiptInput], { nullable: true, description: 'Every receipt of the line; replaces the stored ones. Left out (null): the stored receipts stay.' })
  @IsOptional()
  @ValidateNested({ each: true })
  receipts?: PurchaseOrderReceiptInput[] | null;
}

@InputType({ description: 'An Autotask purchase order with all its lines.' })
export class PurchaseOrderInput {
  @Field(() => Int, { description: 'Autotask PurchaseOrders.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50, { message: 'must be at most 50 characters' }) purchaseOrderNumber?: string | null;
  @Field(() => PurchaseOrderStatus) status!: PurchaseOrderStatus;
  @Field(() => Int, { description: 'Autotask vendorID; push the vendor with upsertVendors first.' }) @Min(1, AUTOTASK_ID) vendorAutotaskId!: number;
  @Field(() => Int, { nullable: true, description: 'Autotask purchaseForCompanyID: the ship-to customer, and where the PO is routed.' })
  @IsOptional()
  @Min(1, AUTOTASK_ID)
  purchaseForOrganizationAutotaskId?: number | null;
  @Field({ description: 'YYYY-MM-DD: submitted, else created.' }) @IsCalendarDate() orderDate!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) @IsOptional() @IsCalendarDate() expectedDate?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) shipToName?: string | null;
  @Field(() => AddressInput, { nullable: true }) @IsOptional() @ValidateNested() shipToAddress?: AddressInput | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000, { message: 'must be at most 4000 characters' }) memo?: string | null;
  @Field(() => [PurchaseOrderLineInput], { description: 'Every line of the purchase order; replaces the stored lines.' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1, { message: 'must hold at least one line' })
  @ArrayMaxSize(MAX_PURCHASE_ORDER_LINES, { message: `must hold at most ${MAX_PURCHASE_ORDER_LINES} lines` })
  lines!: PurchaseOrderLineInput[];
}

@InputType()
export class UpsertPurchaseOrdersInput {
  @Field(() => [PurchaseOrderInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('purchase order')
  purchaseOrders!: PurchaseOrderInput[];
}
