// `tetcd --help` in the shape of etcd's: a usage block (to stderr, as Go's flag package
// prints it) and the flags by section with their defaults (to stdout).
import { FLAGS, helpDefault, type Section } from "./flags.js";
import { NOT_YET_IMPLEMENTED } from "./unimplemented.js";

export function usageText(program: string): string {
  return `Usage:

  ${program} [flags]
    Start a tetcd server: an etcd 3.4 member.

  ${program} --version
    Show the version of tetcd and of the etcd release it presents.

  ${program} -h | --help
    Show the help information about tetcd.

  ${program} --config-file
    Path to the server configuration file. Note that if a configuration file is provided, other command line flags and environment variables will be ignored.
`;
}

const SECTIONS: readonly Section[] = [
  "Member",
  "Clustering",
  "Security",
  "Auth",
  "Profiling and Monitoring",
  "Logging",
  "v2 Proxy (to be deprecated in v4)",
  "Experimental feature",
  "Unsafe feature",
  "TO BE DEPRECATED",
  "tetcd",
];

/** The flags by section: `  --name 'default'` then the description, as etcd lays it out. */
export function flagsText(): string {
  const out: string[] = [""];
  for (const section of SECTIONS) {
    out.push(`${section}:`);
    for (const flag of FLAGS.filter((f) => f.section === section)) {
      out.push(`  --${flag.name} '${helpDefault(flag)}'`);
      const pending = NOT_YET_IMPLEMENTED.has(flag.name) ? " [accepted; not yet implemented by tetcd]" : "";
      out.push(`    ${flag.usage}${pending}`);
    }
    if (section === "Unsafe feature") {
      out.push("", "CAUTIOUS with unsafe flag! It may break the guarantees given by the consensus protocol!");
    }
    out.push("");
  }
  out.push(
    "Every flag can also be set by an ETCD_ variable: --initial-cluster-token is ETCD_INITIAL_CLUSTER_TOKEN.",
    "",
  );
  return out.join("\n");
}
