// AWS Signature Version 4 for the browser (WebCrypto): signs the list operations' requests and presigns the live
// API's WebSocket handshake, both scoped to execute-api as API Gateway's AWS_IAM requires.

const encoder = new TextEncoder();

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function sha256(data) {
  return hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data));
}

async function hmac(key, data) {
  const imported = await crypto.subtle.importKey("raw", typeof key === "string" ? encoder.encode(key) : key,
    { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", imported, encoder.encode(data));
}

/** RFC 3986 encoding, as SigV4 wants it: unreserved characters kept, every other byte %XX. */
function encode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Each path segment encoded again (the path is already encoded once on the wire). */
function canonicalPath(pathname) {
  return pathname.split("/").map((segment) => encode(decodeURIComponent(segment))).join("/") || "/";
}

function canonicalQuery(params) {
  return [...params.entries()]
    .filter(([name]) => name !== "")
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

function amzDate(now) {
  return now.toISOString().replace(/[:-]|\.\d{3}/g, "");
}

async function signingKey(secret, day, region, service) {
  const kDate = await hmac("AWS4" + secret, day);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

/**
 * The headers that sign a request: {method, url, body, region, credentials: {accessKeyId, secretAccessKey,
 * sessionToken?}}. The caller adds them to its own (Content-Type and the like are not signed).
 */
export async function signedHeaders({ method, url, body = "", region, credentials, service = "execute-api" }) {
  const target = new URL(url);
  const now = new Date();
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const headers = { host: target.host, "x-amz-date": date };
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const payloadHash = await sha256(body);
  const canonical = [method, canonicalPath(target.pathname), canonicalQuery(target.searchParams),
    names.map((n) => `${n}:${headers[n]}\n`).join(""), names.join(";"), payloadHash].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", date, scope, await sha256(canonical)].join("\n");
  const signature = hex(await hmac(await signingKey(credentials.secretAccessKey, day, region, service), toSign));
  const out = {
    "X-Amz-Date": date,
    Authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
  };
  if (credentials.sessionToken) out["X-Amz-Security-Token"] = credentials.sessionToken;
  return out;
}

/** A presigned URL (the signature in the query, valid for five minutes): how a browser signs a WebSocket handshake. */
export async function presign({ url, region, credentials, service = "execute-api", expires = 300 }) {
  const target = new URL(url);
  const now = new Date();
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const params = new URLSearchParams(target.search);
  params.set("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  params.set("X-Amz-Credential", `${credentials.accessKeyId}/${scope}`);
  params.set("X-Amz-Date", date);
  params.set("X-Amz-Expires", String(expires));
  params.set("X-Amz-SignedHeaders", "host");
  if (credentials.sessionToken) params.set("X-Amz-Security-Token", credentials.sessionToken);
  const canonical = ["GET", canonicalPath(target.pathname), canonicalQuery(params), `host:${target.host}\n`, "host",
    await sha256("")].join("\n");
  const toSign = ["AWS4-HMAC-SHA256", date, scope, await sha256(canonical)].join("\n");
  params.set("X-Amz-Signature", hex(await hmac(await signingKey(credentials.secretAccessKey, day, region, service), toSign)));
  const query = [...params.entries()].map(([n, v]) => `${encode(n)}=${encode(v)}`).join("&");
  return `${target.protocol}//${target.host}${target.pathname}?${query}`;
}
