"""Around cdktf, never inside it: the checks and lock file of ``make diff|deploy|destroy``
(prepare.py), the committed lock files (provider_locks.py, ``make lock``), the workflows'
environment matrix (environments.py), and where they all find things (paths.py)."""
