// Drives OpenRouter's official TypeScript SDK through a provider key's
// (bring your own key) life against an orkeys fake-server: stored,
// listed, read, restricted, rotated, cleared and deleted. Every answer goes
// through the SDK's zod schemas (declared_zdr, is_byok_only and is_required
// included). The provider key itself must never come back.

import { BadRequestResponseError, NotFoundResponseError } from "@openrouter/sdk/models/errors";
import { expectError, fail, sdk, step } from "./harness.mjs";

const providerKey = "sk-proj-TSSDKPROVIDER0123456789abcdefWXYZ";
const rotated = "sk-proj-TSSDKROTATED00000000000000000abcd";

// noKey fails the step if an answer holds either provider key.
function noKey(v) {
  const s = JSON.stringify(v);
  if (s.includes("TSSDKPROVIDER") || s.includes("TSSDKROTATED")) {
    fail("the answer holds the provider key");
  }
  return v;
}

function summary(k) {
  return {
    id: k.id, provider: k.provider, name: k.name ?? null, label: k.label, workspaceId: k.workspaceId,
    isFallback: k.isFallback, isByokOnly: k.isByokOnly, isRequired: k.isRequired, declaredZdr: k.declaredZdr,
    allowedModels: k.allowedModels, sortOrder: k.sortOrder, createdAt: k.createdAt,
  };
}

const created = await step("byok_create", async () => {
  const { data } = await sdk.byok.create({
    createBYOKKeyRequest: { provider: "openai", key: providerKey, name: "tssdk", allowedModels: ["openai/gpt-4.1"], isRequired: true },
  });
  return noKey(summary(data));
});

await step("byok_invalid", () =>
  expectError(
    () => sdk.byok.create({ createBYOKKeyRequest: { provider: "openai", key: providerKey, isFallback: true, isByokOnly: true } }),
    BadRequestResponseError,
  ),
);

await step("byok_list", async () => {
  const page = await sdk.byok.list({ provider: "openai" });
  return noKey({ totalCount: page.result.totalCount, ids: page.result.data.map((k) => k.id) });
});

await step("byok_get", async () => {
  const { data } = await sdk.byok.get({ id: created.id });
  return noKey(summary(data));
});

await step("byok_rotate", async () => {
  const { data } = await sdk.byok.update({ id: created.id, updateBYOKKeyRequest: { key: rotated, declaredZdr: true } });
  return noKey(summary(data));
});

await step("byok_clear", async () => {
  const { data } = await sdk.byok.update({ id: created.id, updateBYOKKeyRequest: { allowedModels: null } });
  return noKey(summary(data));
});

await step("byok_empty_list", () =>
  expectError(() => sdk.byok.update({ id: created.id, updateBYOKKeyRequest: { allowedUserIds: [] } }), BadRequestResponseError),
);

await step("byok_delete", async () => {
  const res = await sdk.byok.delete({ id: created.id });
  return { deleted: res.deleted };
});

await step("byok_gone", () => expectError(() => sdk.byok.get({ id: created.id }), NotFoundResponseError));

console.log(JSON.stringify({ step: "done", ok: true, result: {} }));
