import { type Connector, type ImportMapping, RecordReader, type SourceFile } from "@toolpacks/pack-kit";
import { type ErpRecords, erpRows } from "./rows.js";

/** What differs between the ERP connectors: how a file is recognised and read into records. */
export interface ErpConnectorSpec<X> {
  name: string;
  description: string;
  /** Tells which export a file is (throws `ImportError` when none). */
  recognise(file: SourceFile): X;
  /** Reads one recognised export into `into`; bad records go to `reader` as rejections. */
  read(x: X, reader: RecordReader, mapping: ImportMapping | undefined, into: ErpRecords): void;
}

/**
 * An ERP file connector: every file is recognised and read into one set of records, which become
 * the ERP's rows together (orders see the products and partners of the same import), in one batch.
 */
export function defineErpConnector<X>(spec: ErpConnectorSpec<X>): Connector {
  return {
    name: spec.name,
    system: spec.name,
    description: spec.description,
    pull({ files, mapping }) {
      const reader = new RecordReader();
      const records: ErpRecords = {
        customers: [],
        suppliers: [],
        items: [],
        salesOrders: [],
        purchaseOrders: [],
      };
      for (const file of files) spec.read(spec.recognise(file), reader, mapping, records);
      return [{ rows: erpRows(records, reader.rejected), rejected: reader.rejected }];
    },
  };
}
