"""The one root of every exception this project raises, for the library and the command.

``except CriiptoCognitoError`` catches whatever the library (``stacks.constructs``), the config
(``stacks.config``), the platform seam, the deploy helpers and ``criipto-cognito`` raise on
purpose. Each class keeps the built-in base its callers already catch: ``PropError`` is still a
``ValueError``, ``PlatformError`` an ``ImportError``, ``InvalidJson`` a ``ValueError``.

It lives in ``criipto/``, the lowest layer, so that every layer can import it
(``tests/project/test_layers.py``).
"""

from __future__ import annotations


class CriiptoCognitoError(Exception):
    """Raised on purpose by criipto-cognito: a bad prop or config, a platform that cannot be
    loaded, a check that cannot run, a Terraform command that failed. The message is meant for
    a person and holds no secret."""
