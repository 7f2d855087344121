// Drives OpenRouter's official TypeScript SDK through a key's whole life
// against an orkeys fake-server. tests/tssdk_test.go runs it and checks the
// results; run by hand with:
//
//   ORKEYS_TSSDK_SERVER_URL=http://127.0.0.1:PORT/api/v1 \
//   ORKEYS_TSSDK_API_KEY=sk-or-v1-... node lifecycle.mjs
//
// Each step prints one JSON line {"step","ok":true,"result"}; the first
// failure prints {"step","ok":false,"error"} (with the zod issues when the
// SDK rejected a response) and exits 1.

import { OpenRouter } from "@openrouter/sdk";
import {
  BadRequestResponseError,
  NotFoundResponseError,
  UnauthorizedResponseError,
} from "@openrouter/sdk/models/errors";
import { expectError, sdk, serverURL, step, withSpend } from "./harness.mjs";

// summary keeps what the Go test checks of a key (Dates as ISO strings).
function summary(k) {
  return {
    hash: k.hash,
    name: k.name,
    label: k.label,
    disabled: k.disabled,
    limit: k.limit,
    limitRemaining: k.limitRemaining,
    limitReset: k.limitReset,
    expiresAt: k.expiresAt instanceof Date ? k.expiresAt.toISOString() : k.expiresAt,
    externalUser: k.externalUser,
    createdAt: k.createdAt,
    updatedAt: k.updatedAt,
    workspaceId: k.workspaceId,
  };
}

await step("current", async () => {
  const { data } = await sdk.apiKeys.getCurrentKeyMetadata();
  return {
    isManagementKey: data.isManagementKey,
    label: data.label,
    allowedDataRegions: data.allowedDataRegions,
    freeModelDailyRequests: data.freeModelDailyRequests,
    organizationId: data.organizationId,
    workspaceId: data.workspaceId,
  };
});

// Whole seconds, in UTC: the SDK sends it as toISOString() (with .000Z).
const expiresAt = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 5, 15, 12, 34, 56));

const created = await step("create", async () => {
  const res = await sdk.apiKeys.create({
    requestBody: {
      name: "tssdk-lifecycle",
      limit: 12.5,
      limitReset: "monthly",
      expiresAt,
      external: { user: "customer-42" },
    },
  });
  return {
    keyShape: /^sk-or-v1-[0-9a-f]{64}$/.test(res.key),
    sentExpiresAt: expiresAt.toISOString(),
    data: summary(res.data),
  };
});
const hash = created.data.hash;

// A second, newer key, so that an offset has something to skip.
await step("create_other", async () => {
  const res = await sdk.apiKeys.create({ requestBody: { name: "tssdk-other" } });
  return { data: summary(res.data) };
});

await step("list", async () => {
  const { data } = await sdk.apiKeys.list();
  return { hashes: data.map((k) => k.hash), names: data.map((k) => k.name) };
});

await step("list_offset", async () => {
  const all = await sdk.apiKeys.list({ includeDisabled: true });
  const page = await sdk.apiKeys.list({ includeDisabled: true, offset: 1 });
  return { all: all.data.map((k) => k.hash), offset1: page.data.map((k) => k.hash) };
});

await step("get", async () => {
  const { data } = await sdk.apiKeys.get({ hash });
  return summary(data);
});

await step("update", async () => {
  const { data } = await sdk.apiKeys.update({
    hash,
    requestBody: { name: "tssdk-renamed", disabled: true, limit: 20 },
  });
  return summary(data);
});

// null clears the limit and its reset period.
await step("update_clear", async () => {
  const { data } = await sdk.apiKeys.update({
    hash,
    requestBody: { limit: null, limitReset: null },
  });
  return summary(data);
});

await step("list_after_disable", async () => {
  const enabled = await sdk.apiKeys.list();
  const all = await sdk.apiKeys.list({ includeDisabled: true });
  return { enabled: enabled.data.map((k) => k.hash), all: all.data.map((k) => k.hash) };
});

// A negative limit passes the SDK's own checks (a number) and the server
// must refuse it with 400 in the documented envelope.
await step("update_invalid", () =>
  expectError(() => sdk.apiKeys.update({ hash, requestBody: { limit: -1 } }), BadRequestResponseError),
);

// A key the server does not know is refused with 401 in the envelope.
await step("unauthorized", () =>
  expectError(
    () =>
      new OpenRouter({ apiKey: "sk-or-v1-" + "0".repeat(64), serverURL, retryConfig: { strategy: "none" } }).apiKeys.list(),
    UnauthorizedResponseError,
  ),
);

await step("delete", async () => {
  const res = await sdk.apiKeys.delete({ hash });
  return { deleted: res.deleted };
});

await step("get_deleted", () => expectError(() => sdk.apiKeys.get({ hash }), NotFoundResponseError));

if (withSpend) {
  await step("credits", async () => {
    const { data } = await sdk.credits.getCredits();
    return { totalCredits: data.totalCredits, totalUsage: data.totalUsage };
  });
  await step("activity", async () => {
    const { data } = await sdk.analytics.getUserActivity();
    return { items: data.length };
  });
}

console.log(JSON.stringify({ step: "done", ok: true, result: { spend: withSpend } }));
