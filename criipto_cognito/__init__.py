"""The criipto-cognito command: checks and look-ups against a deployed environment (ops only)."""
