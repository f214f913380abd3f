/**
 * The checks on a source's request forwarded to a 2026-07-28 gateway client over multi round-trip
 * requests, and on the client's answer. Both are untrusted: the request comes from a source
 * server and goes out inside an `input_required` result; the answer comes back in the retry's
 * `inputResponses` and would go to that source. Either one too large, or an answer that is not
 * the result its method defines, fails the forwarded request with a typed error and goes no
 * further.
 */
import { z } from "zod";
import { FORWARDED_METHODS, type ForwardedMethod, ForwardRefusedError } from "../sources/client-peer.js";

export interface ForwardLimits {
  /** Largest forwarded request (its params as JSON, in UTF-8 bytes). */
  maxRequestBytes: number;
  /** Largest answer the client may give one forwarded request (as JSON, in UTF-8 bytes). */
  maxAnswerBytes: number;
}

export const DEFAULT_FORWARD_LIMITS: ForwardLimits = {
  maxRequestBytes: 64 * 1024,
  maxAnswerBytes: 1024 * 1024,
};

const meta = z.record(z.string(), z.unknown()).optional();

const rootsResult = z.looseObject({
  roots: z.array(z.looseObject({ uri: z.string().min(1), name: z.string().optional(), _meta: meta })),
  _meta: meta,
});

const elicitResult = z.looseObject({
  action: z.enum(["accept", "decline", "cancel"]),
  content: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .optional(),
  _meta: meta,
});

const block = z.looseObject({ type: z.string().min(1) });
const samplingResult = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: z.union([block, z.array(block)]),
  model: z.string(),
  stopReason: z.string().optional(),
  _meta: meta,
});

const RESULTS: Record<ForwardedMethod, z.ZodType> = {
  "roots/list": rootsResult,
  "elicitation/create": elicitResult,
  "sampling/createMessage": samplingResult,
};

/** UTF-8 bytes of `value` as JSON (undefined for what JSON cannot encode). */
function jsonBytes(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : new TextEncoder().encode(text).length;
  } catch {
    return undefined;
  }
}

/** The refusal of a forwarded request whose params are past `maxRequestBytes` (nothing is sent). */
export function oversizedRequest(
  method: ForwardedMethod,
  params: Record<string, unknown>,
  limits: ForwardLimits,
): ForwardRefusedError | undefined {
  const bytes = jsonBytes(params);
  if (bytes !== undefined && bytes <= limits.maxRequestBytes) return undefined;
  return new ForwardRefusedError(
    "REQUEST_TOO_LARGE",
    method,
    `The ${FORWARDED_METHODS[method]} request (${method}) is ${bytes === undefined ? "not encodable as JSON" : `${bytes} bytes`}, over the ${limits.maxRequestBytes}-byte limit on requests forwarded to the client (forwardLimits.maxRequestBytes). Nothing was sent to the client.`,
  );
}

/**
 * The client's answer to a forwarded request, checked: throws `ForwardRefusedError`
 * (`ANSWER_TOO_LARGE`, `ANSWER_INVALID`) when it is too large, missing or not the result `method`
 * defines. Nothing of a refused answer reaches the source.
 */
export function checkForwardAnswer(method: ForwardedMethod, answer: unknown, limits: ForwardLimits): unknown {
  const what = `the client's answer to ${method}`;
  if (answer === undefined) {
    throw new ForwardRefusedError(
      "ANSWER_INVALID",
      method,
      `The client's retry carried no answer to ${method}; nothing was passed to the server.`,
    );
  }
  const bytes = jsonBytes(answer);
  if (bytes === undefined || bytes > limits.maxAnswerBytes) {
    throw new ForwardRefusedError(
      "ANSWER_TOO_LARGE",
      method,
      `${what} is ${bytes === undefined ? "not encodable as JSON" : `${bytes} bytes`}, over the ${limits.maxAnswerBytes}-byte limit on answers to forwarded requests (forwardLimits.maxAnswerBytes); it was dropped and nothing was passed to the server.`,
    );
  }
  const checked = RESULTS[method].safeParse(answer);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".").slice(0, 80)}` : "";
    throw new ForwardRefusedError(
      "ANSWER_INVALID",
      method,
      `${what} is not a ${method} result (${(issue?.message ?? "wrong shape").slice(0, 120)}${where}); it was dropped and nothing was passed to the server.`,
    );
  }
  return answer;
}
