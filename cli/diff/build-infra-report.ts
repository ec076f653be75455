import type { Gateway } from "../../schema/gateway.ts";
import { DEFINITION_FILE } from "../../functions/contracts/lambda-contract.ts";
import { archiveFilePath, diffResources, type ResourceDiff } from "./diff-resources.ts";
import type { InfraGatewayDiff, InfraProblem, InfraReport, InfraSummary, ShadowResource } from "./infra-change.ts";
import { shadowPlan } from "./shadow-plan.ts";
import type { DeploymentOptions } from "../../infra/deploy-gateways.ts";
import { code } from "./words.ts";
import { errorMessage } from "../../schema/error-message.ts";

/**
 * The `--infra` section: a shadow plan of the base gateways, one of the head gateways (one after
 * the other, in this process), and their resource diff grouped by gateway.
 *
 * `changedGateways` are the gateways the definition diff found changes in. A gateway outside it
 * whose bundled definition still differs changed only in order (keys or list items, which the
 * definition keeps as written): that is not reported as a code change, since the function behaves
 * the same, but as a note, since `pulumi up` will still redeploy the code.
 *
 * `headOptions` plan the head with other deployment options (`--front-door`: what switching the
 * front door would do to the resources).
 *
 * When the program fails at either side nothing is compared (everything would look added or
 * removed); the failure is a problem, as it would fail the deploy.
 */
export async function buildInfraReport(
  before: Gateway[],
  after: Gateway[],
  changedGateways: ReadonlySet<string>,
  headOptions: DeploymentOptions = {},
): Promise<InfraReport> {
  const problems: InfraProblem[] = [];
  const plan = async (side: InfraProblem["side"], gateways: Gateway[]): Promise<ShadowResource[] | null> => {
    try {
      return gateways.length ? await shadowPlan(gateways, side === "head" ? headOptions : {}) : [];
    } catch (error) {
      problems.push({ side, message: errorMessage(error) });
      return null;
    }
  };
  const base = await plan("base", before);
  const head = await plan("head", after);
  const empty: InfraSummary = { create: 0, update: 0, delete: 0, unchanged: 0, permissionsWidened: 0, protectionLost: 0 };
  if (base === null || head === null) return { summary: empty, gateways: [], problems, notes: [] };

  const diff = diffResources(base, head);
  const notes = dropOrderOnlyCodeChanges(diff, changedGateways);
  return { summary: summarise(diff), gateways: group(diff), problems, notes };
}

function dropOrderOnlyCodeChanges(diff: ResourceDiff, changedGateways: ReadonlySet<string>): string[] {
  const reordered = new Set<string>();
  const definitionFile = archiveFilePath("code", DEFINITION_FILE);
  diff.changes = diff.changes.filter(({ gateway, change }) => {
    if (change.action !== "update" || gateway === null || changedGateways.has(gateway)) return true;
    const rest = change.inputs.filter((c) => c.path !== definitionFile);
    if (rest.length === change.inputs.length) return true;
    reordered.add(gateway);
    change.inputs = rest;
    if (rest.length) return true;
    diff.unchanged += 1;
    return false;
  });
  return [...reordered]
    .sort()
    .map(
      (name) =>
        `the bundled definition of gateway ${code(name)} differs only in order (keys or list items): \`pulumi up\` will redeploy its function code, which behaves the same`,
    );
}

function summarise(diff: ResourceDiff): InfraSummary {
  const summary: InfraSummary = { create: 0, update: 0, delete: 0, unchanged: diff.unchanged, permissionsWidened: 0, protectionLost: 0 };
  for (const { change } of diff.changes) {
    summary[change.action] += 1;
    if (change.flags.includes("permissions-widened")) summary.permissionsWidened += 1;
    if (change.flags.includes("protection-lost")) summary.protectionLost += 1;
  }
  return summary;
}

/** Changes per gateway, gateways by name; resources outside any gateway last. */
function group(diff: ResourceDiff): InfraGatewayDiff[] {
  const byGateway = new Map<string | null, InfraGatewayDiff>();
  for (const { gateway, change } of diff.changes) {
    const entry = byGateway.get(gateway) ?? { name: gateway, changes: [] };
    entry.changes.push(change);
    byGateway.set(gateway, entry);
  }
  return [...byGateway.values()].sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
