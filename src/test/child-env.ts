/**
 * The environment for a process a test starts (etcd, etcdctl, tetcd): this one's without
 * its ETCD_* and ETCDCTL_* variables, which a CI job or a developer's shell may set and
 * which would configure the child behind the test's back, plus `extra`.
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.startsWith("ETCD_") && !name.startsWith("ETCDCTL_"),
  );
  return { ...Object.fromEntries(inherited), ...extra };
}
