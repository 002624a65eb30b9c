"""The form parameters Twilio sends with each webhook, so the app is tried on what it will get.

From Twilio's webhook documentation: the incoming-message request (by SMS or WhatsApp), the
incoming-call request (sent again with every later step of the call), and what a <Gather> or
<Dial> action adds. Geographic fields are sent empty when Twilio cannot look them up, as it does.
"""

from __future__ import annotations

import json
import secrets

from helpline.text import sms_segments

API_VERSION = "2010-04-01"
ACCOUNT_SID = "AC" + "1" * 32
CALLER = "+447700900123"  # Ofcom's range for drama: never a real person
HELPLINE_NUMBER = "+441632960000"  # likewise: stands in for the Twilio number
WHATSAPP = "whatsapp:"
PROFILE_NAME = "Sam"  # the WhatsApp profile name the sender chose
_GEO = ("City", "State", "Zip", "Country")


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _country(number: str) -> str:
    return "GB" if number.startswith("+44") else ("US" if number.startswith("+1") else "")


def _geo(prefix: str, number: str) -> dict[str, str]:
    return {f"{prefix}{part}": _country(number) if part == "Country" else "" for part in _GEO}


def sms(body: str, sender: str, to: str, media: tuple[str, ...] = ()) -> dict[str, str]:
    """An incoming text (or MMS with `media` URLs)."""
    sid = new_sid("MM" if media else "SM")
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": str(len(media)),
        "NumSegments": str(sms_segments(body)[1]),
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
        **_geo("From", sender),
        **_geo("To", to),
    }
    for i, url in enumerate(media):
        params[f"MediaUrl{i}"] = url
        params[f"MediaContentType{i}"] = "image/jpeg"
    return params


def whatsapp(
    body: str,
    sender: str,
    to: str,
    *,
    media: tuple[tuple[str, str], ...] = (),
    pin: tuple[str, str] | None = None,
    address: str = "",
    label: str = "",
    profile: str = PROFILE_NAME,
) -> dict[str, str]:
    """An incoming WhatsApp message: text, media ((url, content type) pairs: a picture, a voice
    note) or a shared location (`pin`: latitude and longitude as sent, with an optional address
    and place label). Numbers are written "whatsapp:+44..."; the sender's WhatsApp id is the
    number without its "+"."""
    sender = sender.removeprefix(WHATSAPP)
    sid = new_sid("MM" if media else "SM")
    kind = "location" if pin is not None else _media_kind(media[0][1]) if media else "text"
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": WHATSAPP + sender,
        "To": WHATSAPP + to.removeprefix(WHATSAPP),
        "Body": body,
        "NumMedia": str(len(media)),
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageType": kind,
        "ProfileName": profile,
        "WaId": sender.lstrip("+"),
        "ChannelMetadata": json.dumps(
            {"type": "whatsapp", "data": {"context": {"ProfileName": profile, "WaId": sender.lstrip("+")}}}
        ),
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
    }
    for i, (url, content_type) in enumerate(media):
        params[f"MediaUrl{i}"] = url
        params[f"MediaContentType{i}"] = content_type
    if pin is not None:
        params["Latitude"], params["Longitude"] = pin
        if address:
            params["Address"] = address
        if label:
            params["Label"] = label
    return params


def _media_kind(content_type: str) -> str:
    kind = content_type.split("/", 1)[0]
    return {"audio": "audio", "image": "image", "video": "video"}.get(kind, "document")


def call(call_sid: str, caller: str, to: str, status: str) -> dict[str, str]:
    """What every request of an incoming call carries; `status` is ringing on the first."""
    return {
        "CallSid": call_sid,
        "AccountSid": ACCOUNT_SID,
        "From": caller,
        "To": to,
        "Caller": caller,
        "Called": to,
        "CallStatus": status,
        "Direction": "inbound",
        "ApiVersion": API_VERSION,
        **_geo("From", caller),
        **_geo("To", to),
        **_geo("Caller", caller),
        **_geo("Called", to),
    }


def gather_digits(digits: str, finished_on_key: str) -> dict[str, str]:
    return {"Digits": digits, "FinishedOnKey": finished_on_key, "msg": "Gather End"}


def gather_speech(phrase: str, confidence: float) -> dict[str, str]:
    return {"SpeechResult": phrase, "Confidence": f"{confidence:.8f}"}


ANSWERED = frozenset({"completed", "answered"})


def dial_outcome(status: str, duration_seconds: int = 42) -> dict[str, str]:
    """What a <Dial> action receives when the dialled call ends."""
    answered = status in ANSWERED
    params = {
        "DialCallStatus": status,
        "DialCallSid": new_sid("CA"),
        "DialBridged": "true" if answered else "false",
    }
    if answered:
        params["DialCallDuration"] = str(duration_seconds)
    return params
