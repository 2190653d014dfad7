// Checksums shared by the WAL and the storage backend.
export { Crc32c, crc32c } from "./crc32c.js";
