import type * as associations from "@hubspot/api-client/lib/codegen/crm/associations/v4/index.js";
import type * as deals from "@hubspot/api-client/lib/codegen/crm/deals/index.js";
import type * as objects from "@hubspot/api-client/lib/codegen/crm/objects/index.js";
import type * as owners from "@hubspot/api-client/lib/codegen/crm/owners/index.js";
import type * as pipelines from "@hubspot/api-client/lib/codegen/crm/pipelines/index.js";
import type * as properties from "@hubspot/api-client/lib/codegen/crm/properties/index.js";

/*
 * HubSpot's API objects as the CRM sync reads them, derived from the official
 * `@hubspot/api-client` model classes: `Wire<T>` is a model as it travels in JSON (dates as ISO
 * strings, `_from` as `from`), which is what the test fake serves, so the fake and the client's
 * own declarations are checked against each other by the compiler.
 */

/** A client model as JSON on the wire: `Date` fields are ISO strings, `_from` is `from`. */
export type Wire<T> = T extends Date
  ? string
  : T extends string
    ? `${T}`
    : T extends ReadonlyArray<infer U>
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T as K extends `_${infer R}` ? R : K]: Wire<T[K]> }
        : T;

/** A CRM object (company, contact, deal, line item, task …) with the associations asked for. */
export type ApiObject = deals.SimplePublicObjectWithAssociations;
/** A page of `GET /crm/v3/objects/{type}` (`paging.next.after` while more follow). */
export type ApiObjectPage = deals.CollectionResponseSimplePublicObjectWithAssociationsForwardPaging;
/** A page of `POST /crm/v3/objects/{type}/search`, with the total the filters match. */
export type ApiSearchPage = deals.CollectionResponseWithTotalSimplePublicObjectForwardPaging;
/** The body of a search request. */
export type ApiSearchRequest = deals.PublicObjectSearchRequest;
/** The body of a create request (properties and associations). */
export type ApiCreateInput = deals.SimplePublicObjectInputForCreate;
/** An owner (`GET /crm/v3/owners`). */
export type ApiOwner = owners.PublicOwner;
/** A page of owners. */
export type ApiOwnerPage = owners.CollectionResponsePublicOwnerForwardPaging;
/** A deal pipeline with its stages (`GET /crm/v3/pipelines/deals`). */
export type ApiPipeline = pipelines.Pipeline;
/** The answer of `GET /crm/v3/pipelines/deals`. */
export type ApiPipelines = pipelines.CollectionResponsePipelineNoPaging;
/** The answer of `POST /crm/v4/associations/{from}/{to}/batch/read`. */
export type ApiAssociationBatch = associations.BatchResponsePublicAssociationMultiWithLabel;
/** A page of `GET /crm/v4/objects/{from}/{id}/associations/{to}` (`paging.next.after` while more follow). */
export type ApiAssociatedPage = associations.CollectionResponseMultiAssociatedObjectWithLabelForwardPaging;
/** The answer of `POST /crm/v3/objects/{type}/batch/read`. */
export type ApiBatchRead = objects.BatchResponseSimplePublicObject;
/** A property definition (`GET /crm/v3/properties/{type}/{name}`), with `hasUniqueValue`. */
export type ApiProperty = properties.Property;
/** HubSpot's documented error body: status, category, message, correlationId (and details). */
export type ApiError = deals.ModelError & { status?: string };
