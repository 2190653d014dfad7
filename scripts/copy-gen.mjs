// tsc does not copy the generated JavaScript codecs; put them beside the compiled code.
import { cpSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
cpSync(`${root}src/proto/gen`, `${root}dist/proto/gen`, { recursive: true });
