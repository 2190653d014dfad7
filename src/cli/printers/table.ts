// The "table" format: only member lists, endpoint checks and snapshot status have one.
import type { MemberListResponse } from "../../client/index.js";
import { renderTable } from "../go/table.js";
import type { Io } from "../io.js";
import { type DbStatus, type EpHashKV, type EpHealth, type EpStatus, UnsupportedPrinter } from "./printer.js";
import {
  DB_STATUS_HEADER,
  dbStatusRows,
  ENDPOINT_HASHKV_HEADER,
  ENDPOINT_HEALTH_HEADER,
  ENDPOINT_STATUS_HEADER,
  endpointHashKVRows,
  endpointHealthRows,
  endpointStatusRows,
  MEMBER_LIST_HEADER,
  memberListRows,
} from "./rows.js";

export class TablePrinter extends UnsupportedPrinter {
  constructor(io: Io) {
    super(io, "table");
  }

  override memberList(r: MemberListResponse): void {
    this.io.out(renderTable(MEMBER_LIST_HEADER, memberListRows(r)));
  }

  override endpointHealth(list: EpHealth[]): void {
    this.io.out(renderTable(ENDPOINT_HEALTH_HEADER, endpointHealthRows(list)));
  }

  override endpointStatus(list: EpStatus[]): void {
    this.io.out(renderTable(ENDPOINT_STATUS_HEADER, endpointStatusRows(list)));
  }

  override endpointHashKV(list: EpHashKV[]): void {
    this.io.out(renderTable(ENDPOINT_HASHKV_HEADER, endpointHashKVRows(list)));
  }

  override dbStatus(s: DbStatus): void {
    this.io.out(renderTable(DB_STATUS_HEADER, dbStatusRows(s)));
  }
}
