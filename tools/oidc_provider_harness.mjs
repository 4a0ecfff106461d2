// A real OpenID Provider, not ours: `oidc-provider` from npm (a certified OP), laid out the way
// Idura lays out a domain, over TLS on 127.0.0.1. Started by tools/oidc_stand_in.py (for the
// tests and `make sandbox`):
//
//   node tools/oidc_provider_harness.mjs <settings.json>
//
// settings.json: {"domain", "cert", "key", "clients": [oidc-provider client metadata],
// "errors_as_200": bool, "claims": {name: value}}. Prints "listening <port>" once it accepts connections, then
// "request <method> <path>" for each request.
//
// What the harness adds around the OP, and only that:
// - Idura's routes (/oauth2/authorize, /oauth2/token, /oauth2/userinfo, /.well-known/jwks) and
//   its acr-scoped paths (/<base64(acr)>/oauth2/..., /<base64(acr)>/.well-known/...), served
//   by dropping that first segment before the OP sees the request;
// - the Host header set to the configured domain, so that the issuer and every endpoint the OP
//   publishes are https://<domain>/..., as on a real domain, while it listens on loopback;
// - GET /.well-known/criipto-configuration?client_id=<id>, the Idura-only document Idura's SDK
//   reads: 200 {"clients": [{"client_id"}]} for a client the OP knows, else 404, answered from
//   the OP's own client registry;
// - with errors_as_200, error pages rendered with status 200 (an OP whose answers are
//   ambiguous to the probes);
// - for `rehearse`: every account (the login name is its sub) has the claims in "claims",
//   released with the openid scope (as an eID's claims come with a login, not a scope), and a
//   client with userinfo_signed_response_alg gets its userinfo as a signed JWT (what Idura
//   sends when the user info response strategy is not plainJson).
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';

import Provider from 'oidc-provider';

const settings = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const issuer = `https://${settings.domain}`;
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'harness-key', use: 'sig', alg: 'RS256' };

const extraClaims = settings.claims ?? {};
const configuration = {
  clients: settings.clients,
  claims: { acr: null, sid: null, auth_time: null, iss: null, openid: ['sub', ...Object.keys(extraClaims)] },
  findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ ...extraClaims, sub }) }),
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  routes: {
    authorization: '/oauth2/authorize',
    token: '/oauth2/token',
    userinfo: '/oauth2/userinfo',
    jwks: '/.well-known/jwks',
  },
  features: { devInteractions: { enabled: true }, jwtUserinfo: { enabled: true } },
};
if (settings.errors_as_200) {
  configuration.renderError = async (ctx, out) => {
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><p>${out.error}</p>`;
  };
}
const provider = new Provider(issuer, configuration);
// Quiet: a refused request is what the tests make on purpose.
provider.on('server_error', () => {});
const handle = provider.callback();

// The first path segment of an acr-scoped URL: base64 (standard or url-safe) of a URN.
function acrSegment(segment) {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(segment)) return false;
  const decoded = Buffer.from(segment.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return decoded.startsWith('urn:');
}

async function criiptoConfiguration(url, res) {
  const clientId = url.searchParams.get('client_id') ?? '';
  const client = clientId ? await provider.Client.find(clientId) : undefined;
  const known = client !== undefined;
  const body = known ? { clients: [{ client_id: clientId, qr_enabled: false }] } : { error: 'not found' };
  res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = https.createServer(
  { cert: fs.readFileSync(settings.cert), key: fs.readFileSync(settings.key) },
  (req, res) => {
    // Each request's path as it came, for the tests (the query only for GET: no form is read).
    process.stdout.write(`request ${req.method} ${new URL(req.url, issuer).pathname}\n`);
    const url = new URL(req.url, issuer);
    const [, first, ...rest] = url.pathname.split('/');
    if (rest.length > 0 && acrSegment(first)) {
      req.url = `/${rest.join('/')}${url.search}`;
    }
    req.headers.host = settings.domain;
    if (new URL(req.url, issuer).pathname === '/.well-known/criipto-configuration') {
      criiptoConfiguration(new URL(req.url, issuer), res).catch(() => {
        res.writeHead(500);
        res.end();
      });
      return;
    }
    handle(req, res);
  },
);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
