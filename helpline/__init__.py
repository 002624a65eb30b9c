"""The helpline router's core: pure rules, no web framework, no Twilio, no I/O after load."""
