// Makes a fresh clone runnable: installs npm dependencies and builds when either is
// missing or stale. With `test`, also makes sure the real etcd 3.4 tools the integration
// tests drive (Debian's etcd-client and etcd-server) are installed.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const sh = (cmd) => execSync(cmd, { cwd: root, stdio: "inherit" });
const newest = (dir) =>
  existsSync(dir)
    ? Math.max(
        0,
        ...readdirSync(dir, { withFileTypes: true, recursive: true })
          .filter((e) => e.isFile())
          .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
      )
    : 0;

if (!existsSync(join(root, "node_modules/.package-lock.json"))) {
  console.error("tetcd: installing npm dependencies");
  // Not `npm ci`: the lock file cannot list other platforms' optional binaries that the
  // registry here does not carry, and `npm ci` refuses a lock file without them.
  sh("npm install --no-audit --no-fund");
}
const builtAt = existsSync(join(root, "dist/bin/tetcd.js"))
  ? statSync(join(root, "dist/bin/tetcd.js")).mtimeMs
  : 0;
if (builtAt === 0 || Math.max(newest(join(root, "src")), newest(join(root, "proto"))) > builtAt) {
  console.error("tetcd: building");
  sh("npm run build --silent");
}
if (process.argv[2] === "test") {
  const missing = ["etcdctl", "etcd"].filter((b) => !existsSync(`/usr/bin/${b}`));
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      console.error(
        "tetcd: the integration tests need etcd 3.4's tools: sudo apt-get install etcd-client etcd-server",
      );
      process.exit(1);
    }
    console.error(
      "tetcd: installing etcd-client and etcd-server from Debian (the real etcdctl 3.4 and etcd)",
    );
    sh(
      "DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-client etcd-server >/dev/null",
    );
    execSync("systemctl disable --now etcd >/dev/null 2>&1 || true");
  }
}
