// Drives OpenRouter's official TypeScript SDK through the management plane
// around keys against an orkeys fake-server: organization members,
// workspaces with members and budgets (the budget-order 400 included),
// guardrails created, updated, assigned to keys and members, and deleted.
// tests/tssdk_test.go runs it and checks the results; by hand, as
// lifecycle.mjs says. Every answer goes through the SDK's zod schemas, so a
// field the fake leaves out or mistypes fails its step.

import {
  BadRequestResponseError,
  NotFoundResponseError,
} from "@openrouter/sdk/models/errors";
import { expectError, sdk, step } from "./harness.mjs";

const org = await step("org_members", async () => {
  const page = await sdk.organization.listMembers();
  return { totalCount: page.result.totalCount, ids: page.result.data.map((m) => m.id), roles: page.result.data.map((m) => m.role) };
});
const owner = org.ids[0];

const ws = await step("workspace_create", async () => {
  const { data } = await sdk.workspaces.create({
    createWorkspaceRequest: { name: "TS Team", slug: "ts-team", description: "made by the SDK" },
  });
  return { id: data.id, slug: data.slug, description: data.description, defaultGuardrailId: data.defaultGuardrailId, createdAt: data.createdAt };
});

await step("workspace_update", async () => {
  const { data } = await sdk.workspaces.update({ id: "ts-team", updateWorkspaceRequest: { name: "TS Team 2", description: null } });
  return { name: data.name, description: data.description, updatedAt: data.updatedAt };
});

await step("workspace_get", async () => {
  const { data } = await sdk.workspaces.get({ id: ws.id });
  return { slug: data.slug, name: data.name };
});

await step("workspace_list", async () => {
  const page = await sdk.workspaces.list();
  return { totalCount: page.result.totalCount, slugs: page.result.data.map((w) => w.slug) };
});

await step("members_add", async () => {
  const res = await sdk.workspaces.bulkAddMembers({ id: "ts-team", bulkAddWorkspaceMembersRequest: { userIds: [owner] } });
  return { addedCount: res.addedCount, users: res.data.map((m) => m.userId), roles: res.data.map((m) => m.role) };
});

await step("members_list", async () => {
  const page = await sdk.workspaces.listMembers({ id: "ts-team" });
  return { totalCount: page.result.totalCount, users: page.result.data.map((m) => m.userId) };
});

await step("budget_set", async () => {
  const monthly = await sdk.workspaces.setBudget({
    workspaceRef: "ts-team", interval: "monthly", upsertWorkspaceBudgetRequest: { limitUsd: 100, includeByokInBudgets: true },
  });
  const weekly = await sdk.workspaces.setBudget({ workspaceRef: "ts-team", interval: "weekly", upsertWorkspaceBudgetRequest: { limitUsd: 40 } });
  return { monthly: monthly.data.limitUsd, weekly: weekly.data.limitUsd, weeklyReset: weekly.data.resetInterval, byok: weekly.includeByokInBudgets };
});

// A daily budget over the weekly one breaks the strictly-falling rule.
await step("budget_order", () =>
  expectError(
    () => sdk.workspaces.setBudget({ workspaceRef: "ts-team", interval: "daily", upsertWorkspaceBudgetRequest: { limitUsd: 50 } }),
    BadRequestResponseError,
  ),
);

await step("budget_get_list", async () => {
  const one = await sdk.workspaces.getBudget({ workspaceRef: "ts-team", interval: "weekly" });
  const all = await sdk.workspaces.listBudgets({ workspaceRef: "ts-team" });
  return { weekly: one.data.limitUsd, intervals: all.data.map((b) => b.resetInterval) };
});

await step("budget_delete", async () => {
  const res = await sdk.workspaces.deleteBudget({ workspaceRef: "ts-team", interval: "weekly" });
  return { deleted: res.deleted };
});

const key = await step("key_create", async () => {
  const res = await sdk.apiKeys.create({ requestBody: { name: "tssdk-plane", workspaceId: ws.id } });
  return { hash: res.data.hash, workspaceId: res.data.workspaceId };
});

// A limit without a reset interval is refused.
await step("guardrail_invalid", () =>
  expectError(() => sdk.guardrails.create({ createGuardrailRequest: { name: "bad", limitUsd: 5 } }), BadRequestResponseError),
);

const g = await step("guardrail_create", async () => {
  const { data } = await sdk.guardrails.create({
    createGuardrailRequest: {
      name: "tssdk-cap",
      description: "five a month",
      limitUsd: 5,
      resetInterval: "monthly",
      workspaceId: ws.id,
      allowedProviders: ["openai", "anthropic"],
      allowedDataRegions: ["europe"],
      enforceZdrOpenai: true,
      contentFilterBuiltins: [{ slug: "email", action: "redact" }],
      contentFilters: [{ pattern: "secret-[0-9]+", action: "block" }],
    },
  });
  return {
    id: data.id, workspaceId: data.workspaceId, limitUsd: data.limitUsd, resetInterval: data.resetInterval,
    allowedProviders: data.allowedProviders, builtinLabel: data.contentFilterBuiltins?.[0]?.label, createdAt: data.createdAt,
  };
});

await step("guardrail_update", async () => {
  const { data } = await sdk.guardrails.update({
    id: g.id,
    updateGuardrailRequest: { allowedProviders: ["google"], description: null, limitUsd: 7.5 },
  });
  return { allowedProviders: data.allowedProviders, description: data.description ?? null, limitUsd: data.limitUsd, updatedAt: data.updatedAt };
});

await step("guardrail_get_list", async () => {
  const { data } = await sdk.guardrails.get({ id: g.id });
  const page = await sdk.guardrails.list({ workspaceId: ws.id });
  return { name: data.name, totalCount: page.result.totalCount, ids: page.result.data.map((x) => x.id) };
});

await step("guardrail_assign", async () => {
  const keys = await sdk.guardrails.bulkAssignKeys({ id: g.id, bulkAssignKeysRequest: { keyHashes: [key.hash] } });
  const members = await sdk.guardrails.bulkAssignMembers({ id: g.id, bulkAssignMembersRequest: { memberUserIds: [owner] } });
  return { keys: keys.assignedCount, members: members.assignedCount };
});

await step("guardrail_assignments", async () => {
  const keys = await sdk.guardrails.listGuardrailKeyAssignments({ id: g.id });
  const members = await sdk.guardrails.listGuardrailMemberAssignments({ id: g.id });
  const allKeys = await sdk.guardrails.listKeyAssignments();
  const allMembers = await sdk.guardrails.listMemberAssignments();
  return {
    keyHashes: keys.result.data.map((a) => a.keyHash),
    keyNames: keys.result.data.map((a) => a.keyName),
    memberIds: members.result.data.map((a) => a.userId),
    allKeys: allKeys.result.totalCount,
    allMembers: allMembers.result.totalCount,
  };
});

await step("guardrail_unassign", async () => {
  const keys = await sdk.guardrails.bulkUnassignKeys({ id: g.id, bulkUnassignKeysRequest: { keyHashes: [key.hash] } });
  const members = await sdk.guardrails.bulkUnassignMembers({ id: g.id, bulkUnassignMembersRequest: { memberUserIds: [owner] } });
  return { keys: keys.unassignedCount, members: members.unassignedCount };
});

// The workspace still holds an active key.
await step("workspace_delete_refused", () =>
  expectError(() => sdk.workspaces.delete({ id: "ts-team" }), BadRequestResponseError),
);

await step("guardrail_delete", async () => {
  const res = await sdk.guardrails.delete({ id: g.id });
  return { deleted: res.deleted };
});

await step("guardrail_gone", () => expectError(() => sdk.guardrails.get({ id: g.id }), NotFoundResponseError));

await step("workspace_delete", async () => {
  await sdk.apiKeys.delete({ hash: key.hash });
  const removed = await sdk.workspaces.bulkRemoveMembers({ id: "ts-team", bulkRemoveWorkspaceMembersRequest: { userIds: [owner] } });
  const res = await sdk.workspaces.delete({ id: ws.id });
  return { removed: removed.removedCount, deleted: res.deleted };
});

console.log(JSON.stringify({ step: "done", ok: true, result: {} }));
