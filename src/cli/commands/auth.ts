// auth enable/disable (and tetcdctl's auth status), user and role administration.
import {
  AuthNotEnabledError,
  type Client,
  type PermissionTypeName,
  prefixRangeEnd,
  RootRoleNotExistError,
} from "../../client/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { bool, display, mustClient, str } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { askPassword, readLineSync } from "../prompt.js";

/** Runs one call with the command's client, exiting 1 with the error as etcdctl does. */
async function withClient<T>(ctx: RunContext, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await mustClient(ctx);
  try {
    return await fn(c);
  } catch (err) {
    if ((err as Error).name === "Exit") throw err;
    return exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    c.close();
  }
}

async function authEnable(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0)
    exitWithError(ctx.io, ExitCode.BadArgs, "auth enable command does not accept any arguments");
  const deadline = Date.now() + (ctx.flags.lookup("command-timeout")?.value as number);
  await withClient(ctx, async (c) => {
    for (;;) {
      try {
        await c.authEnable({ deadline });
        return;
      } catch (err) {
        if (!(err instanceof RootRoleNotExistError)) throw err;
        await c.roleAdd("root", { deadline });
        await c.userGrantRole("root", "root", { deadline });
      }
    }
  });
  ctx.io.out("Authentication Enabled\n");
}

async function authDisable(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0)
    exitWithError(ctx.io, ExitCode.BadArgs, "auth disable command does not accept any arguments");
  const deadline = Date.now() + (ctx.flags.lookup("command-timeout")?.value as number);
  await withClient(ctx, (c) => c.authDisable({ deadline }));
  ctx.io.out("Authentication Disabled\n");
}

/**
 * tetcdctl's `auth status` (etcdctl 3.5 has one; etcd 3.4 has no AuthStatus RPC): asks
 * for the user list without credentials — refused exactly when authentication is on.
 */
async function authStatus(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0)
    exitWithError(ctx.io, ExitCode.BadArgs, "auth status command does not accept any arguments");
  const timeoutMs = ctx.flags.lookup("command-timeout")?.value as number;
  const enabled = await withClient(ctx, async (c) => {
    try {
      await c.authenticate("", "", { timeoutMs });
      return true;
    } catch (err) {
      if (err instanceof AuthNotEnabledError) return false;
      return true;
    }
  });
  ctx.io.out(`Authentication Status: ${enabled}\n`);
}

async function readPasswordInteractive(ctx: RunContext, name: string): Promise<string> {
  const p1 = await askPassword(ctx.io, `Password of ${name}: `);
  if (p1.length === 0) exitWithError(ctx.io, ExitCode.BadArgs, "empty password");
  const p2 = await askPassword(ctx.io, `Type password of ${name} again for confirmation: `);
  if (p1 !== p2) exitWithError(ctx.io, ExitCode.BadArgs, "given passwords are different");
  return p1;
}

/** fmt.Scanf("%s"): the first whitespace-separated word of the next input line. */
function scanWord(): string {
  return readLineSync().trim().split(/\s+/)[0] ?? "";
}

async function userAdd(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "user add command requires user name as its argument");
  const arg = ctx.args[0] as string;
  let user = arg;
  let password = "";
  const noPassword = bool(ctx, "no-password");
  if (!noPassword) {
    const fromFlag = str(ctx, "new-user-password");
    if (fromFlag !== "") password = fromFlag;
    else {
      const i = arg.indexOf(":");
      if (i === -1) {
        password = bool(ctx, "interactive") ? await readPasswordInteractive(ctx, arg) : scanWord();
      } else {
        user = arg.slice(0, i);
        password = arg.slice(i + 1);
        if (user.length === 0) exitWithError(ctx.io, ExitCode.BadArgs, "empty user name is not allowed");
      }
    }
  }
  const r = await withClient(ctx, (c) => c.userAdd(user, password, { noPassword }));
  display(ctx).userAdd(user, r);
}

async function userDelete(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "user delete command requires user name as its argument");
  const name = ctx.args[0] as string;
  const r = await withClient(ctx, (c) => c.userDelete(name));
  display(ctx).userDelete(name, r);
}

async function userGet(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "user get command requires user name as its argument");
  const name = ctx.args[0] as string;
  await withClient(ctx, async (c) => {
    const r = await c.userGet(name);
    const printer = display(ctx);
    if (!bool(ctx, "detail")) {
      printer.userGet(name, r);
      return;
    }
    ctx.io.out(`User: ${name}\n`);
    for (const role of r.roles) {
      ctx.io.out("\n");
      printer.roleGet(role, await c.roleGet(role));
    }
  });
}

async function userList(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0)
    exitWithError(ctx.io, ExitCode.BadArgs, "user list command requires no arguments");
  const r = await withClient(ctx, (c) => c.userList());
  display(ctx).userList(r);
}

async function userPasswd(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "user passwd command requires user name as its argument");
  const name = ctx.args[0] as string;
  const password = bool(ctx, "interactive") ? await readPasswordInteractive(ctx, name) : scanWord();
  const r = await withClient(ctx, (c) => c.userChangePassword(name, password));
  display(ctx).userChangePassword(r);
}

async function userGrantRole(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 2) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "user grant command requires user name and role name as its argument",
    );
  }
  const [user, role] = ctx.args as [string, string];
  const r = await withClient(ctx, (c) => c.userGrantRole(user, role));
  display(ctx).userGrantRole(user, role, r);
}

async function userRevokeRole(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 2) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "user revoke-role requires user name and role name as its argument",
    );
  }
  const [user, role] = ctx.args as [string, string];
  const r = await withClient(ctx, (c) => c.userRevokeRole(user, role));
  display(ctx).userRevokeRole(user, role, r);
}

async function roleAdd(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "role add command requires role name as its argument");
  const role = ctx.args[0] as string;
  const r = await withClient(ctx, (c) => c.roleAdd(role));
  display(ctx).roleAdd(role, r);
}

async function roleDelete(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "role delete command requires role name as its argument");
  const role = ctx.args[0] as string;
  const r = await withClient(ctx, (c) => c.roleDelete(role));
  display(ctx).roleDelete(role, r);
}

async function roleGet(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "role get command requires role name as its argument");
  const role = ctx.args[0] as string;
  const r = await withClient(ctx, (c) => c.roleGet(role));
  display(ctx).roleGet(role, r);
}

async function roleList(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0)
    exitWithError(ctx.io, ExitCode.BadArgs, "role list command requires no arguments");
  const r = await withClient(ctx, (c) => c.roleList());
  display(ctx).roleList(r);
}

/** etcdctl's permRange: the [key, rangeEnd) a permission covers. */
function permRange(ctx: RunContext, args: string[]): { key: string; rangeEnd: string } {
  const prefix = bool(ctx, "prefix");
  const fromKey = bool(ctx, "from-key");
  let key = args[0] as string;
  if (key.length === 0) {
    if (prefix && fromKey)
      exitWithError(ctx.io, ExitCode.BadArgs, "--from-key and --prefix flags are mutually exclusive");
    key = "\x00";
    return { key, rangeEnd: prefix || fromKey ? "\x00" : "" };
  }
  if (args.length === 1) {
    if (prefix) {
      if (fromKey)
        exitWithError(ctx.io, ExitCode.BadArgs, "--from-key and --prefix flags are mutually exclusive");
      return { key, rangeEnd: prefixRangeEnd(key).toString("latin1") };
    }
    return { key, rangeEnd: fromKey ? "\x00" : "" };
  }
  if (prefix) exitWithError(ctx.io, ExitCode.BadArgs, "unexpected endkey argument with --prefix flag");
  if (fromKey) exitWithError(ctx.io, ExitCode.BadArgs, "unexpected endkey argument with --from-key flag");
  return { key, rangeEnd: args[1] as string };
}

function rangeBytes(s: string, fromPrefix: boolean): Buffer {
  return fromPrefix ? Buffer.from(s, "latin1") : Buffer.from(s);
}

async function roleGrantPermission(ctx: RunContext): Promise<void> {
  if (ctx.args.length < 3) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "role grant command requires role name, permission type, and key [endkey] as its argument",
    );
  }
  const [role, permType] = ctx.args as [string, string];
  const perm = permType.toUpperCase();
  if (perm !== "READ" && perm !== "WRITE" && perm !== "READWRITE") {
    exitWithError(ctx.io, ExitCode.BadArgs, `invalid permission type: ${permType}`);
  }
  const { key, rangeEnd } = permRange(ctx, ctx.args.slice(2));
  const end = rangeBytes(rangeEnd, bool(ctx, "prefix") && ctx.args.length === 3);
  const r = await withClient(ctx, (c) => c.roleGrantPermission(role, key, end, perm as PermissionTypeName));
  display(ctx).roleGrantPermission(role, r);
}

async function roleRevokePermission(ctx: RunContext): Promise<void> {
  if (ctx.args.length < 2) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "role revoke-permission command requires role name and key [endkey] as its argument",
    );
  }
  const role = ctx.args[0] as string;
  const { key, rangeEnd } = permRange(ctx, ctx.args.slice(1));
  const end = rangeBytes(rangeEnd, bool(ctx, "prefix") && ctx.args.length === 2);
  const r = await withClient(ctx, (c) => c.roleRevokePermission(role, key, end));
  display(ctx).roleRevokePermission(role, Buffer.from(ctx.args[1] as string), end, r);
}

const PREFIX_FLAGS = (verb: string) => [
  { name: "prefix", kind: "bool" as const, default: "false", usage: `${verb} a prefix permission` },
  {
    name: "from-key",
    kind: "bool" as const,
    default: "false",
    usage: `${verb} a permission of keys that are greater than or equal to the given key using byte compare`,
  },
];

export function authCommands(): CommandSpec[] {
  return [
    {
      use: "auth <enable or disable>",
      short: "Enable or disable authentication",
      subcommands: [
        { use: "enable", short: "Enables authentication", run: authEnable },
        { use: "disable", short: "Disables authentication", run: authDisable },
        { use: "status", short: "Returns authentication status", run: authStatus, hidden: true },
      ],
    },
    {
      use: "user <subcommand>",
      short: "User related commands",
      subcommands: [
        {
          use: "add <user name or user:password> [options]",
          short: "Adds a new user",
          flags: [
            {
              name: "interactive",
              kind: "bool",
              default: "true",
              usage: "Read password from stdin instead of interactive terminal",
            },
            {
              name: "new-user-password",
              kind: "string",
              default: "",
              usage: "Supply password from the command line flag",
            },
            {
              name: "no-password",
              kind: "bool",
              default: "false",
              usage: "Create a user without password (CN based auth only)",
            },
          ],
          run: userAdd,
        },
        { use: "delete <user name>", short: "Deletes a user", run: userDelete },
        {
          use: "get <user name> [options]",
          short: "Gets detailed information of a user",
          flags: [
            {
              name: "detail",
              kind: "bool",
              default: "false",
              usage: "Show permissions of roles granted to the user",
            },
          ],
          run: userGet,
        },
        { use: "list", short: "Lists all users", run: userList },
        {
          use: "passwd <user name> [options]",
          short: "Changes password of user",
          flags: [
            {
              name: "interactive",
              kind: "bool",
              default: "true",
              usage: "If true, read password from stdin instead of interactive terminal",
            },
          ],
          run: userPasswd,
        },
        { use: "grant-role <user name> <role name>", short: "Grants a role to a user", run: userGrantRole },
        {
          use: "revoke-role <user name> <role name>",
          short: "Revokes a role from a user",
          run: userRevokeRole,
        },
      ],
    },
    {
      use: "role <subcommand>",
      short: "Role related commands",
      subcommands: [
        { use: "add <role name>", short: "Adds a new role", run: roleAdd },
        { use: "delete <role name>", short: "Deletes a role", run: roleDelete },
        { use: "get <role name>", short: "Gets detailed information of a role", run: roleGet },
        { use: "list", short: "Lists all roles", run: roleList },
        {
          use: "grant-permission [options] <role name> <permission type> <key> [endkey]",
          short: "Grants a key to a role",
          flags: PREFIX_FLAGS("grant"),
          run: roleGrantPermission,
        },
        {
          use: "revoke-permission <role name> <key> [endkey]",
          short: "Revokes a key from a role",
          flags: PREFIX_FLAGS("revoke"),
          run: roleRevokePermission,
        },
      ],
    },
  ];
}
