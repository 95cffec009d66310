#!/usr/bin/env python3
"""Your own OAuth client against `oauth-lab serve`, with `requests`.

The code flow with PKCE (RFC 7636) as the confidential client learner-app: the redirect
comes back to a port of this script's own on 127.0.0.1, which the AS accepts on any port
(RFC 8252 §7.3). Then the token request, an API call with the access token, and a
refresh. Usage: python3 client.py [AS_URL] [RS_URL]
"""
import base64
import hashlib
import http.server
import secrets
import sys
import urllib.parse

import requests

AS = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.2:9001"
RS = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.3:9002"
CLIENT = ("learner-app", "learner-secret-5d8a")


class Callback(http.server.BaseHTTPRequestHandler):
    """Takes the one redirect that brings the code back."""

    def do_GET(self):
        self.server.query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"signed in; you can close this tab\n")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Callback)
server.timeout = 120
server.query = {}
redirect = f"http://127.0.0.1:{server.server_port}/callback"
verifier = secrets.token_urlsafe(48)
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
state = secrets.token_urlsafe(16)
print("Open this URL, sign in as alice and approve:", flush=True)
print(AS + "/authorize?" + urllib.parse.urlencode({
    "response_type": "code", "client_id": CLIENT[0], "redirect_uri": redirect,
    "scope": "openid photos.read", "state": state,
    "code_challenge": challenge.rstrip(b"=").decode(), "code_challenge_method": "S256",
}), flush=True)
server.handle_request()
if server.query.get("state") != [state] or "code" not in server.query:
    sys.exit(f"no code came back with our state: {server.query}")

tokens = requests.post(AS + "/token", auth=CLIENT, data={
    "grant_type": "authorization_code", "code": server.query["code"][0],
    "redirect_uri": redirect, "code_verifier": verifier,
}).json()
print("token:", tokens["token_type"], "scope", tokens["scope"])
photos = requests.get(RS + "/photos",
                      headers={"Authorization": "Bearer " + tokens["access_token"]}).json()
print("photos of", photos["owner"] + ":", ", ".join(p["title"] for p in photos["photos"]))
refreshed = requests.post(AS + "/token", auth=CLIENT, data={
    "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
}).json()
new = refreshed["access_token"] != tokens["access_token"]
print("refreshed: a new access token:", "yes" if new else "no")
