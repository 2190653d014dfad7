// The embeddable API of tetcd.
export * as proto from "./proto/index.js";
