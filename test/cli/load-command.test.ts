import { describe, expect, it } from "vitest";
import { loadCommand, missingPeerMessage } from "../../cli/load-command.ts";

/** The error Node gives for an import of a package that is not installed (its shape, as thrown by import()). */
async function nodeResolutionError(specifier: string): Promise<unknown> {
  return import(specifier).then(
    () => null,
    (error: unknown) => error,
  );
}

describe("commands that need an optional peer dependency", () => {
  it("name the missing Pulumi package and the install command instead of Node's resolution error", async () => {
    const error = await nodeResolutionError("@pulumi/not-a-real-package");
    expect(missingPeerMessage(error)).toBe(
      "this command needs @pulumi/not-a-real-package, which is not installed in this repository: npm install --save-dev @pulumi/pulumi@^3 @pulumi/aws@^7",
    );
    const loaded = await loadCommand(() => Promise.reject(error));
    expect(loaded).toEqual({ ok: false, message: missingPeerMessage(error) });
  });

  it("leave other failures alone: a missing package that is not a peer, or any other error, is rethrown", async () => {
    const other = await nodeResolutionError("definitely-not-installed-package");
    expect(missingPeerMessage(other)).toBeUndefined();
    await expect(loadCommand(() => Promise.reject(other))).rejects.toBe(other);
    expect(missingPeerMessage(new Error("Cannot find package '@pulumi/aws'"))).toBeUndefined();
  });
});
