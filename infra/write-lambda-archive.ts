import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Gateway } from "../schema/gateway.ts";
import { lambdaArchive } from "./lambda-archive.ts";

/**
 * Writes the exact files the component deploys (`index.mjs`, `gateway.json`, `secrets.json` with
 * the given ciphertexts) into `dir`, so tests and benchmarks run the deployed code rather than a
 * look-alike. Returns the file names.
 */
export async function writeLambdaArchive(dir: string, definition: Gateway, ciphertexts: Record<string, string> = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const assets = await lambdaArchive(definition, ciphertexts).assets;
  const names: string[] = [];
  for (const [name, asset] of Object.entries(assets)) {
    if (!(asset instanceof pulumi.asset.StringAsset)) throw new Error(`unexpected asset kind for ${name}`);
    await writeFile(join(dir, name), await asset.text);
    names.push(name);
  }
  return names.sort();
}
