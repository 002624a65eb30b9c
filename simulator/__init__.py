"""Play Twilio's side of texts and calls against the router, without a phone.

Operator and developer tooling: the app never imports it. `python -m simulator --help`.
"""
