// What the TypeScript SDK scripts share: the SDK pointed at the fake from
// the environment, steps that print one JSON line each, and expected errors.
// lifecycle.mjs (keys) and plane.mjs (guardrails, workspaces, members)
// import it.

import { OpenRouter } from "@openrouter/sdk";
import { OpenRouterError, ResponseValidationError, SDKValidationError } from "@openrouter/sdk/models/errors";

export const serverURL = process.env.ORKEYS_TSSDK_SERVER_URL;
export const apiKey = process.env.ORKEYS_TSSDK_API_KEY;
if (!serverURL || !apiKey) {
  console.error("set ORKEYS_TSSDK_SERVER_URL and ORKEYS_TSSDK_API_KEY");
  process.exit(2);
}
export const withSpend = process.env.ORKEYS_TSSDK_SPEND === "1";

export const sdk = new OpenRouter({
  apiKey,
  serverURL,
  // The SDK's default retries 5XX and connection errors for up to an hour;
  // a test wants the first answer.
  retryConfig: { strategy: "none" },
  timeoutMs: 15_000,
});

export class StepFailure extends Error {}

// fail ends the current step with a message of our own (a wrong value, or
// the wrong error class).
export function fail(message, cause) {
  throw new StepFailure(message, { cause });
}

// A created key's plaintext, and the management key, stay out of the output.
export function redact(s) {
  return String(s).replace(/sk-or-(v1|mgmt)-[0-9a-f]{64}/g, "sk-or-$1-<redacted>");
}

function describeError(err) {
  const out = { class: err?.constructor?.name ?? typeof err, message: redact(err?.message ?? err) };
  if (err instanceof StepFailure && err.cause) {
    out.cause = describeError(err.cause);
  }
  if (err instanceof OpenRouterError) {
    out.statusCode = err.statusCode;
    out.contentType = err.contentType;
    out.body = redact(err.body).slice(0, 4000);
  }
  // Both validation errors carry the zod error: pretty() names each
  // offending path, issues give it as data.
  if (err instanceof ResponseValidationError || err instanceof SDKValidationError) {
    out.zod = redact(err.pretty());
    if (Array.isArray(err.cause?.issues)) {
      out.issues = err.cause.issues.map((i) => ({
        path: i.path.join("."),
        code: i.code,
        expected: i.expected,
        message: i.message,
      }));
    }
  }
  return out;
}

export async function step(name, fn) {
  let result;
  try {
    result = await fn();
  } catch (err) {
    console.log(JSON.stringify({ step: name, ok: false, error: describeError(err) }));
    process.exit(1);
  }
  console.log(JSON.stringify({ step: name, ok: true, result }));
  return result;
}

// expectError runs fn, which must throw an instance of want.
export async function expectError(fn, want) {
  try {
    await fn();
  } catch (err) {
    if (err instanceof want) {
      return { class: want.name, statusCode: err.statusCode, code: err.error?.code, message: err.message };
    }
    fail(`want ${want.name}, got ${err?.constructor?.name}`, err);
  }
  fail(`want ${want.name}, the call succeeded`);
}

