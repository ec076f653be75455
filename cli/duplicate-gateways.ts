import type { Gateway } from "../schema/gateway.ts";

/** Gateways loaded from one file. */
export interface FileGateways {
  file: string;
  gateways: readonly Gateway[];
}

/**
 * Two definitions of one gateway: the same name (resource names and `--gateway` would clash) or
 * the same id (both would answer at the same client URL). One sentence per clash, naming both files.
 */
export function duplicateGateways(files: readonly FileGateways[]): string[] {
  const byName = new Map<string, string>();
  const byId = new Map<string, { file: string; name: string }>();
  const problems: string[] = [];
  for (const { file, gateways } of files) {
    for (const g of gateways) {
      const sameName = byName.get(g.name);
      const sameId = byId.get(g.id);
      if (sameName !== undefined) {
        problems.push(
          sameName === file
            ? `${file} defines gateway '${g.name}' twice; names must be unique`
            : `${sameName} and ${file} both define gateway '${g.name}'; names must be unique`,
        );
      } else if (sameId !== undefined) {
        problems.push(
          `${sameId.file} (gateway '${sameId.name}') and ${file} (gateway '${g.name}') have the same id ${g.id}; ids must be unique (both would answer at the same client URLs)`,
        );
      }
      if (sameName === undefined) byName.set(g.name, file);
      if (sameId === undefined) byId.set(g.id, { file, name: g.name });
    }
  }
  return problems;
}
