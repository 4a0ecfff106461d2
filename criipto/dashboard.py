"""The Idura dashboard: where an application is made by hand, and what its settings are called.

The labels are the dashboard's own (Idura's "Set up the Dashboard" and AWS Cognito integration
guides), so that instructions can be followed word for word.
"""

from __future__ import annotations

DASHBOARD_URL = "https://dashboard.idura.app"
APPLICATIONS_TAB = "Applications"
ADD_APPLICATION = "Add login application"
NAME = "Name"
DOMAIN = "Domain"
CLIENT_ID = "Client ID / Realm"
REDIRECT_URLS = "Redirect URL(s)"
OPENID_CONNECT_SECTION = "OpenID Connect"
CODE_FLOW = "Enable OAuth2 Code Flow"
USER_INFO_RESPONSE_STRATEGY = "User info response strategy"
DYNAMIC_SCOPES = "Enable dynamic scopes"
