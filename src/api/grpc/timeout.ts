// The grpc-timeout request header: 1-8 ASCII digits and a unit (H M S m u n).

const unitMs: Record<string, number> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 1e-3,
  n: 1e-6,
};

/**
 * The timeout in milliseconds (fractions kept), or an Error with grpc-go's text when the
 * header is malformed.
 */
export function parseGrpcTimeout(value: string): number | Error {
  if (value.length < 2) return new Error(`transport: timeout string is too short: ${JSON.stringify(value)}`);
  if (value.length > 9) return new Error(`transport: timeout string is too long: ${JSON.stringify(value)}`);
  const scale = unitMs[value[value.length - 1] ?? ""];
  if (scale === undefined) {
    return new Error(`transport: timeout unit is not recognized: ${JSON.stringify(value)}`);
  }
  const digits = value.slice(0, -1);
  if (!/^\d+$/.test(digits)) {
    return new Error(`strconv.ParseInt: parsing ${JSON.stringify(digits)}: invalid syntax`);
  }
  return Number(digits) * scale;
}
