"""What an Idura domain tells anyone about an application, without credentials.

Three public answers settle most of an application's set-up from outside:

- ``/.well-known/criipto-configuration?client_id=<id>``, which Idura's own SDK reads
  (``@criipto/auth-js``, ``src/CriiptoConfiguration.ts``): 200 with ``{"clients":
  [{"client_id": ...}]}`` for an application with that Client ID on the domain, 404 otherwise.
  Undocumented, so any other answer means nothing.
- The token endpoint, asked for a code that cannot exist: an OAuth 2.0 server authenticates the
  client before it looks at the grant (RFC 6749 §5.2), so ``invalid_grant`` means the client's
  credentials were accepted and ``invalid_client`` that they were not.
- The authorize endpoint: it must refuse a ``redirect_uri`` that is not registered without
  redirecting to it (RFC 6749 §4.1.2.1), and it redirects (to its login or, with an error, to
  the ``redirect_uri``) for one that is.

The user info response strategy shows in none of them: only a login does.
"""

from __future__ import annotations

from urllib.parse import urlencode

from criipto import urls

CRIIPTO_CONFIGURATION_PATH = "/.well-known/criipto-configuration"
UNKNOWN_CLIENT = "Client ID does not exist, or is not configured for this domain"
# The token endpoint's OAuth error codes that answer the probe (RFC 6749 §5.2).
CREDENTIALS_ACCEPTED = "invalid_grant"
CREDENTIALS_REFUSED = "invalid_client"
# Where the probes send users who will never arrive: the reserved top-level domain .invalid
# (RFC 2606) cannot resolve, so no application can use it as a redirect URL.
UNREGISTRABLE_HOST = "redirect-check.invalid"


def criipto_configuration_url(domain: str, client_id: str) -> str:
    return (
        f"{urls.issuer(domain)}{CRIIPTO_CONFIGURATION_PATH}?{urlencode({'client_id': client_id})}"
    )


def unregistrable_redirect_url(nonce: str) -> str:
    """A redirect URL no application registers (a fresh path on a host that cannot exist)."""
    return f"https://{UNREGISTRABLE_HOST}/{nonce}"
