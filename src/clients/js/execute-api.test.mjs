// The JS SDK v3 clients, through executeApi(), against the local API started with --iam (RTCA_ENDPOINT).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectClient, ListRealtimeContactAnalysisSegmentsV2Command } from "@aws-sdk/client-connect";
import {
  ConnectContactLensClient,
  paginateListRealtimeContactAnalysisSegments,
} from "@aws-sdk/client-connect-contact-lens";
import { executeApi } from "./execute-api.mjs";

const endpoint = process.env.RTCA_ENDPOINT ?? "http://127.0.0.1:3000";
const INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
const VOICE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222";
const CHAT = "a1b2c3d4-5678-90ab-cdef-EXAMPLE44444";
// From events/local-iam.json.
const QA = { accessKeyId: "AKIDQAANALYST", secretAccessKey: "qa-analyst-local-secret" };
const SUPERVISOR = { accessKeyId: "AKIDSUPERVISOR", secretAccessKey: "supervisor-local-secret" };
const base = (credentials) => ({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });

async function drainChat(connect) {
  // The chat contact is in progress, so its NextToken never ends: read until a page comes back empty.
  const segments = [];
  let NextToken;
  for (let pages = 0; pages < 100; pages++) {
    const page = await connect.send(new ListRealtimeContactAnalysisSegmentsV2Command({
      InstanceId: INSTANCE, ContactId: CHAT, OutputType: "Redacted", SegmentTypes: ["Transcript", "Event"],
      MaxResults: 1, NextToken,
    }));
    if (page.Segments.length === 0) return segments;
    segments.push(...page.Segments);
    NextToken = page.NextToken;
  }
  throw new Error("the chat contact did not drain in 100 pages");
}

test("the recipe drains the voice contact with the SDK's paginator", async () => {
  const lens = new ConnectContactLensClient(executeApi(base(QA)));
  const segments = [];
  for await (const page of paginateListRealtimeContactAnalysisSegments({ client: lens },
    { InstanceId: INSTANCE, ContactId: VOICE, MaxResults: 1 })) {
    segments.push(...page.Segments);
  }
  assert.ok(segments.length > 1, `${segments.length} segments`);
  assert.equal(new Set(segments.map((s) => JSON.stringify(s))).size, segments.length, "no segment twice");
});

test("the recipe drains the chat contact", async () => {
  const segments = await drainChat(new ConnectClient(executeApi(base(QA))));
  assert.ok(segments.length > 1, `${segments.length} segments`);
});

test("without the recipe API Gateway refuses the signature", async () => {
  await assert.rejects(drainChat(new ConnectClient(base(QA))), (e) => {
    assert.equal(e.name, "AccessDeniedException");
    assert.equal(e.message, "Credential should be scoped to correct service: 'execute-api'. ");
    return true;
  });
});

test("the policies still apply", async () => {
  const connect = new ConnectClient(executeApi(base(SUPERVISOR)));
  await assert.rejects(connect.send(new ListRealtimeContactAnalysisSegmentsV2Command({
    InstanceId: INSTANCE, ContactId: CHAT, OutputType: "Raw", SegmentTypes: ["Transcript"],
  })), (e) => {
    assert.equal(e.name, "AccessDeniedException");
    assert.equal(e.$metadata.httpStatusCode, 403);
    assert.match(e.message, /^User: arn:aws:sts::123456789012:assumed-role\/SupervisorDashboard\/dashboard is not authorized/);
    return true;
  });
});
