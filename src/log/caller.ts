// Where a log line was written from, in zap's short form ("server/member.js:42": the last
// directory and the file). Only computed for lines that are actually written.

type CallSite = NodeJS.CallSite;

/** The call sites above the caller of this function, skipping `skip` more frames. */
function callSites(skip: number, count: number): CallSite[] {
  const savedLimit = Error.stackTraceLimit;
  const savedPrepare = Error.prepareStackTrace;
  Error.stackTraceLimit = skip + count + 1;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder: { stack?: CallSite[] } = {};
  Error.captureStackTrace(holder, callSites);
  const sites = holder.stack ?? [];
  Error.stackTraceLimit = savedLimit;
  Error.prepareStackTrace = savedPrepare;
  return sites.slice(skip + 1);
}

/** The last directory and the file name of a path or file URL. */
export function shortPath(file: string): string {
  const parts = file.split("/");
  return parts.length >= 2 ? `${parts[parts.length - 2]}/${parts[parts.length - 1]}` : file;
}

function describe(site: CallSite | undefined, short: boolean): string {
  if (site === undefined) return "???:1";
  const file = site.getFileName() ?? "???";
  const name = short ? shortPath(file) : (file.split("/").pop() ?? file);
  return `${name}:${site.getLineNumber() ?? 0}`;
}

/** zap's caller ("dir/file:line") of the frame `depth` levels above the function calling this. */
export function callerAt(depth: number): string {
  return describe(callSites(depth, 1)[0], true);
}

/** capnslog's debug caller ("file:line", no directory). */
export function callerFileAt(depth: number): string {
  return describe(callSites(depth, 1)[0], false);
}

/** zap's `stacktrace` value: "function\n\tfile:line" per frame, from `depth` levels above. */
export function stackAt(depth: number): string {
  return callSites(depth, 12)
    .map((site) => `${site.getFunctionName() ?? "<anonymous>"}\n\t${describe(site, true)}`)
    .join("\n");
}
