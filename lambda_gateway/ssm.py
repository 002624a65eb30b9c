"""Read the Twilio auth token from SSM Parameter Store, once, when a Lambda instance starts.

boto3 is imported here only, and only when TWILIO_AUTH_TOKEN_SSM_PARAMETER is set: importing it costs
a cold start far more than the app itself does.
"""

from __future__ import annotations

from typing import Any

PARAMETER_SETTING = "TWILIO_AUTH_TOKEN_SSM_PARAMETER"


class TokenUnavailable(RuntimeError):
    """The parameter was named but could not be read: this instance must not answer anything."""


def read_token(name: str) -> str:
    """The decrypted value of parameter `name`. Raises TokenUnavailable, whose message holds
    the parameter's name and the error's type and code only, never a value."""
    try:
        import boto3

        response: Any = boto3.client("ssm").get_parameter(Name=name, WithDecryption=True)
        value = str(response["Parameter"]["Value"]).strip()
    except Exception as exc:
        answer = getattr(exc, "response", None)
        code = answer.get("Error", {}).get("Code", "") if isinstance(answer, dict) else ""
        reason = f"{type(exc).__name__} {code}".strip()
        raise TokenUnavailable(f"could not read SSM parameter {name!r} ({reason})") from None
    if not value:
        raise TokenUnavailable(f"SSM parameter {name!r} is empty")
    return value
