// cobra's default "completion" command. tetcdctl generates a bash completion of command
// names; the other shells are listed (for etcdctl's help text) but not generated.
import type { Command, CommandSpec } from "./command.js";
import { ExitCode } from "./io.js";
import { exitWithError } from "./printers/index.js";

function names(cmd: Command, prefix: string[]): string[] {
  return cmd.sortedChildren.flatMap((c) => [[...prefix, c.name].join(" "), ...names(c, [...prefix, c.name])]);
}

function shell(name: string, root: () => Command): CommandSpec {
  return {
    use: name,
    short: `Generate the autocompletion script for ${name}`,
    run: (ctx) => {
      if (name !== "bash")
        exitWithError(ctx.io, ExitCode.BadFeature, `${name} completion is not supported by tetcdctl`);
      const r = root();
      const top = r.sortedChildren.map((c) => c.name).join(" ");
      const subs = r.sortedChildren
        .filter((c) => c.children.length > 0)
        .map(
          (c) =>
            `    ${c.name}) COMPREPLY=($(compgen -W "${c.sortedChildren.map((x) => x.name).join(" ")}" -- "$cur")); return;;`,
        )
        .join("\n");
      void names;
      ctx.io.out(
        `# bash completion for ${r.name}\n_${r.name}() {\n  local cur=\${COMP_WORDS[COMP_CWORD]}\n  if [ "$COMP_CWORD" -ge 2 ]; then\n  case "\${COMP_WORDS[1]}" in\n${subs}\n  esac\n  fi\n  COMPREPLY=($(compgen -W "${top}" -- "$cur"))\n}\ncomplete -F _${r.name} ${r.name}\n`,
      );
    },
  };
}

export function completionCommand(root: () => Command): CommandSpec {
  return {
    use: "completion",
    short: "Generate the autocompletion script for the specified shell",
    long: "Generate the autocompletion script for etcdctl for the specified shell.\nSee each sub-command's help for details on how to use the generated script.\n",
    subcommands: ["bash", "fish", "powershell", "zsh"].map((n) => shell(n, root)),
  };
}
