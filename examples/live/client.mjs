// Your own OAuth client against `oauth-lab serve`, with Node's fetch (Node 18+).
//
// The code flow with PKCE (RFC 7636) as the confidential client learner-app: the
// redirect comes back to a port of this script's own on 127.0.0.1, which the AS accepts
// on any port (RFC 8252 §7.3). Then the token request, an API call with the access
// token, and a refresh. Usage: node client.mjs [AS_URL] [RS_URL]
import crypto from "node:crypto";
import http from "node:http";

const AS = process.argv[2] ?? "http://127.0.0.2:9001";
const RS = process.argv[3] ?? "http://127.0.0.3:9002";
const basic = "Basic " + Buffer.from("learner-app:learner-secret-5d8a").toString("base64");
const verifier = crypto.randomBytes(36).toString("base64url");
const challenge = crypto.createHash("sha256").update(verifier).digest("base64url");
const state = crypto.randomBytes(16).toString("base64url");

// One request comes back: the redirect with the code.
const server = http.createServer();
await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
const redirect = `http://127.0.0.1:${server.address().port}/callback`;
console.log("Open this URL, sign in as alice and approve:");
console.log(`${AS}/authorize?` + new URLSearchParams({
  response_type: "code", client_id: "learner-app", redirect_uri: redirect,
  scope: "openid photos.read", state,
  code_challenge: challenge, code_challenge_method: "S256",
}));
const query = await new Promise((got, failed) => {
  const timer = setTimeout(() => failed(new Error("no redirect within 120 s")), 120_000);
  server.once("request", (req, res) => {
    clearTimeout(timer);
    res.end("signed in; you can close this tab\n");
    got(new URL(req.url, redirect).searchParams);
  });
});
server.close();
if (query.get("state") !== state || !query.get("code")) {
  throw new Error(`no code came back with our state: ${query}`);
}

const token = async (params) => (await fetch(`${AS}/token`, {
  method: "POST", headers: { Authorization: basic }, body: new URLSearchParams(params),
})).json();
const tokens = await token({ grant_type: "authorization_code", code: query.get("code"),
  redirect_uri: redirect, code_verifier: verifier });
console.log("token:", tokens.token_type, "scope", tokens.scope);
const photos = await (await fetch(`${RS}/photos`,
  { headers: { Authorization: `Bearer ${tokens.access_token}` } })).json();
console.log(`photos of ${photos.owner}:`, photos.photos.map((p) => p.title).join(", "));
const refreshed = await token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
const fresh = refreshed.access_token !== tokens.access_token;
console.log("refreshed: a new access token:", fresh ? "yes" : "no");
