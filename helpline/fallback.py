"""The answer of last resort, built into the code so that it needs no directory file.

Used when the directory cannot be loaded or a webhook fails: the caller still gets the
national 24/7 helpline and the 999 advice, never Twilio's application-error message.
"""

from __future__ import annotations

NATIONAL_NAME = "National Domestic Abuse Helpline"
NATIONAL_NUMBER = "+448082000247"
NATIONAL_WRITTEN = "0808 2000 247"

SMS = (
    f"{NATIONAL_NAME}: call {NATIONAL_WRITTEN}, free, 24/7. "
    "In danger now? Call 999. On a mobile and can't speak? Call 999, stay on the line, then press 55."
)
VOICE = (
    "If you are in danger now, hang up and call 999. On a mobile and cannot speak? "
    "Call 999, stay on the line, and press 5 5 when asked. "
    f"Connecting you to the {NATIONAL_NAME}, open 24 hours. Please hold."
)
VOICE_AFTER_DIAL = (
    f"If the call did not connect, please call the {NATIONAL_NAME} on "
    "0 8 0 8, 2 0 0 0, 2 4 7. If you are in danger now, call 999. Goodbye."
)
VOICE_NAME = "Polly.Amy"
VOICE_LANGUAGE = "en-GB"
