/** Identifier formats shared by all systems; fixed width so ids sort in index order. */

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Customer id (CRM account = ERP customer = billing account), e.g. `C-000042`. */
export const customerId = (index: number) => `C-${pad(index + 1, 6)}`;
/** Contact id, e.g. `P-0000042`. */
export const contactId = (index: number) => `P-${pad(index + 1, 7)}`;
/** Owner (salesperson) id, e.g. `U-042`. */
export const ownerId = (index: number) => `U-${pad(index + 1, 3)}`;
/** Product SKU, e.g. `SKU-00042`. */
export const sku = (index: number) => `SKU-${pad(index + 1, 5)}`;
/** Warehouse location id, e.g. `WH-03`. */
export const locationId = (index: number) => `WH-${pad(index + 1, 2)}`;
/** Supplier id, e.g. `SUP-042`. */
export const supplierId = (index: number) => `SUP-${pad(index + 1, 3)}`;
/** Deal id, e.g. `D-0000042`. */
export const dealId = (index: number) => `D-${pad(index + 1, 7)}`;
/** Deal number of a deal id (inverse of dealId), used to derive order and shipment ids. */
export const dealNumber = (id: string) => id.slice(2);
