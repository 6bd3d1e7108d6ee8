import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

const EXITED = /^peloton-exit=(\d+)$/m;

/**
 * A detached tmux session on a server of its own (`-L`): a real terminal to run the CLI in, read
 * by capture-pane. The command's exit status is printed after it, and the pane then waits for
 * input, so the screen stays as the command left it.
 */
export class TmuxPane {
  readonly #socket = `peloton-cli-test-${process.pid}-${Date.now()}`;

  async #tmux(...args: string[]): Promise<string> {
    return (await run("tmux", ["-L", this.#socket, "-f", "/dev/null", ...args])).stdout;
  }

  /** Opens a `width`×`height` terminal running `command` (a shell line). */
  async start(width: number, height: number, command: string): Promise<void> {
    const line = `${command}; echo peloton-exit=$?; read _`;
    await this.#tmux(
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      String(width),
      "-y",
      String(height),
      "sh",
      "-c",
      line,
    );
  }

  /** The visible screen, trailing blanks trimmed. */
  async screen(): Promise<string> {
    return (await this.#tmux("capture-pane", "-p", "-t", "t")).trimEnd();
  }

  /** The exit status the screen shows once the command has ended, else undefined. */
  static exitStatus(screen: string): number | undefined {
    const m = EXITED.exec(screen);
    return m ? Number(m[1]) : undefined;
  }

  async close(): Promise<void> {
    await this.#tmux("kill-server").catch(() => {});
  }
}
