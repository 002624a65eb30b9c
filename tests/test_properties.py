"""Hostile and odd input, generated: every signed request gets safe TwiML, every forged one a 403.

Requests are signed with twilio's RequestValidator, exactly as Twilio signs them, and sent to
both webhooks and to every call step, with arbitrary Unicode bodies up to 10 kB, missing, empty
and repeated fields, odd Digits, SpeechResult and DialCallStatus values, odd paths and very long
headers. Whole calls are walked at random and checked step by step against the menu's rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode, urljoin

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator, get_signature_algorithm
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder, TestResponse
from werkzeug.wrappers import Request

from app import create_app
from helpline.match import OPT_IN_WORDS, OPT_OUT_WORDS
from helpline.text import spoken_number, words
from tests.safe_twiml import DIRECTORY, NATIONAL, NUMBERS, Answer, check_sms, check_voice

TOKEN = "property-token-0123456789abcdef"
BASE = "https://router.example.org"
APP = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})
CLIENT = APP.test_client()
PATH_SAFE = "!$&'()*+,:;=@"  # what url_for leaves unescaped in a path segment

Pairs = list[tuple[str, str]]

FAST = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def examples(n: int) -> Callable[[Any], Any]:
    return settings(max_examples=n, deadline=None, suppress_health_check=FAST)


def send(
    path: str,
    pairs: Pairs,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    sign: bool = True,
    url: str | None = None,
    algorithm: str | None = None,
) -> TestResponse:
    """Send `pairs` to `path` (already escaped, as it appears in the URL) as Twilio would."""
    params = MultiDict(pairs)
    all_headers = dict(headers or {})
    if sign:
        signed = RequestValidator(TOKEN).compute_signature(url or BASE + path, params, algorithm)
        all_headers["X-Twilio-Signature"] = signed
    if method == "GET":
        query = urlencode(pairs)
        full = f"{path}{'&' if '?' in path else '?'}{query}" if query else path
        if sign:
            all_headers["X-Twilio-Signature"] = RequestValidator(TOKEN).compute_signature(BASE + full, {})
        return CLIENT.get(full, headers=all_headers, base_url=BASE)
    return CLIENT.post(path, data=params, headers=all_headers, base_url=BASE)


def sms_answer(response: TestResponse, sent: str | None) -> Answer:
    return check_sms(response.status_code, response.mimetype, response.get_data(as_text=True), sent=sent)


def first_body(pairs: Pairs) -> str:
    """The Body the app reads: the first one sent, or none."""
    return next((v for k, v in pairs if k == "Body"), "")


def voice_answer(response: TestResponse) -> Answer:
    return check_voice(response.status_code, response.mimetype, response.get_data(as_text=True))


# --- what gets sent -------------------------------------------------------------------------

KEYWORDS = sorted(" ".join(p) for s in DIRECTORY.services.values() for p in s.keywords)
WORDS = [*KEYWORDS, *sorted(OPT_OUT_WORDS | OPT_IN_WORDS), "HELP", "MENU", "women", "Mean", "main", "9"]
TWILIO_FIELDS = ["Body", "From", "To", "MessageSid", "CallSid", "AccountSid", "NumMedia", "MediaUrl0",
                 "Digits", "SpeechResult", "Confidence", "DialCallStatus", "CallStatus"]  # fmt: skip
DIAL_STATUSES = ["completed", "answered", "busy", "no-answer", "failed", "canceled"]

short_text = st.text(max_size=200)
long_text = st.text(max_size=10_000)
word_salad = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=12).map(
    lambda parts: " ".join(parts)
)
body_text = st.one_of(long_text, short_text, st.sampled_from(WORDS), word_salad)
digits = st.one_of(
    st.sampled_from([*"0123456789*#", "", " 2 ", "55", "99999999999999999999", "\x00", "1\n"]),
    st.text(max_size=30),
)
speech = st.one_of(st.sampled_from(WORDS), word_salad, long_text, st.just(""))
dial_status = st.one_of(st.sampled_from([*DIAL_STATUSES, " BUSY ", "Completed", ""]), st.text(max_size=40))
field_name = st.sampled_from(TWILIO_FIELDS) | st.text(min_size=1, max_size=40)


@st.composite
def form(draw: st.DrawFn, key: str, value: st.SearchStrategy[str]) -> Pairs:
    """Twilio's fields, some missing or repeated, plus strangers; `key` 0 to 3 times."""
    pairs: Pairs = draw(st.lists(st.tuples(field_name, short_text), max_size=8))
    pairs += [(key, draw(value)) for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3])))]
    return draw(st.permutations(pairs))


def segment(text: str) -> str:
    return quote(text, safe=PATH_SAFE)


# twilio's validator rebuilds the URL with urlparse, which drops a trailing ";" (an empty
# parameter): a URL ending so cannot be validated, and no TwiML of ours names one.
path_segment = (
    st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and not s.endswith(";")).map(segment)
)


# --- the properties -------------------------------------------------------------------------


@examples(600)
@given(form("Body", body_text))
def test_any_signed_text_gets_a_helpline_or_silence(pairs: Pairs) -> None:
    body = first_body(pairs)
    answer = sms_answer(send("/sms", pairs), sent=body)
    tokens = words(body)
    opt_word = len(tokens) == 1 and tokens[0] in OPT_OUT_WORDS | OPT_IN_WORDS
    assert answer.kind == ("silent" if opt_word else "message")


@st.composite
def call_step(draw: st.DrawFn) -> tuple[str, Pairs]:
    step = draw(st.sampled_from(["start", "choose", "dialled"]))
    if step == "start":
        return "/voice", draw(form("Digits", digits))
    if step == "choose":
        attempt = draw(st.integers(min_value=0, max_value=10**30) | st.integers(0, 5))
        pairs = draw(form("Digits", digits)) + draw(form("SpeechResult", speech))
        return f"/voice/choose/{attempt}", draw(st.permutations(pairs))
    service = draw(st.sampled_from(sorted(DIRECTORY.services)) | path_segment)
    return f"/voice/dialled/{service}", draw(form("DialCallStatus", dial_status))


@examples(600)
@given(call_step())
def test_any_signed_call_step_gets_safe_twiml(step: tuple[str, Pairs]) -> None:
    path, pairs = step
    answer = voice_answer(send(path, pairs))
    if path == "/voice":
        assert answer.kind == "menu" and "999" in answer.said[0] and "5 5" in answer.said[0]
    if path.startswith("/voice/dialled/"):
        status = next((v for k, v in pairs if k == "DialCallStatus"), "")
        answered = status.strip().lower() in ("completed", "answered")
        assert answer.kind == "ended" if answered else answer.kind in ("dial", "ended")
        if answer.kind == "dial":
            assert answer.dialled == (NATIONAL,)


@examples(250)
@given(
    channel=st.sampled_from(["sms", "voice"]),
    segments=st.lists(path_segment, min_size=1, max_size=4),
    trailing=st.sampled_from(["", "/", "//"]),
    method=st.sampled_from(["POST", "POST", "GET"]),
    pairs=form("Body", short_text),
)
def test_any_signed_path_under_a_webhook_gets_safe_twiml(
    channel: str, segments: list[str], trailing: str, method: str, pairs: Pairs
) -> None:
    """A URL no route expects (an old step, a typo, a trailing slash, GET) is still answered."""
    path = f"/{channel}/" + "/".join(segments) + trailing
    response = send(path, pairs, method=method)
    answer = sms_answer(response, sent=None) if channel == "sms" else voice_answer(response)
    assert answer.kind == "message" if channel == "sms" else answer.kind in ("menu", "dial")


def header_text(size: int) -> st.SearchStrategy[str]:
    """What an HTTP header can carry: Latin-1 text, no line breaks."""
    latin1 = st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f")
    return st.text(latin1, max_size=size)


@st.composite
def headers(draw: st.DrawFn) -> dict[str, str]:
    special = {"x-twilio-signature", "x-forwarded-proto", "x-twilio-webhooks-signature-settings"}
    name = st.from_regex(r"X-[A-Za-z0-9-]{1,30}", fullmatch=True).filter(lambda n: n.lower() not in special)
    value = header_text(9000)
    result = draw(st.dictionaries(name, value, max_size=4))
    if draw(st.booleans()):
        result["User-Agent"] = draw(value)
    if draw(st.booleans()):
        result["X-Forwarded-Proto"] = draw(
            st.sampled_from(["https", "http", "HTTPS", "https, http", "ftp", ""]) | header_text(100)
        )
    if draw(st.booleans()):
        result["X-Twilio-Webhooks-Signature-Settings"] = draw(
            st.sampled_from(["algorithm=HMAC_SHA256", "key=k,algorithm=HMAC_SHA1", "algorithm=MD5", ""])
            | header_text(100)
        )
    return result


@examples(250)
@given(
    extra=headers(),
    target=st.sampled_from(["/sms", "/voice", "/voice/choose/1", "/voice/dialled/wales"]),
    pairs=form("Body", short_text),
    query=st.lists(st.tuples(st.text(min_size=1, max_size=10), short_text), max_size=3),
)
def test_long_and_odd_headers_and_queries_are_signed_as_twilio_signs_them(
    extra: dict[str, str], target: str, pairs: Pairs, query: Pairs
) -> None:
    path = target + (f"?{urlencode(query)}" if query else "")
    proto = extra.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    scheme = proto if proto in ("http", "https") else "https"
    algorithm = get_signature_algorithm(extra.get("X-Twilio-Webhooks-Signature-Settings"))
    supported = algorithm.upper() in ("HMAC_SHA1", "HMAC_SHA256")
    url = f"{scheme}://router.example.org{path}"
    response = send(path, pairs, headers=extra, url=url, algorithm=algorithm if supported else None)
    if not supported:
        assert response.status_code == 403
    elif target == "/sms":
        sms_answer(response, sent=first_body(pairs))
    else:
        voice_answer(response)


@examples(250)
@given(
    target=st.sampled_from(["/sms", "/voice", "/voice/choose/0", "/voice/dialled/men", "/voice/x", "/sms/x"]),
    pairs=form("Body", short_text),
    forgery=st.sampled_from(["none", "empty", "garbage", "other-token", "tampered", "other-url"]),
    garbage=header_text(200),
)
def test_forged_or_missing_signatures_are_refused(
    target: str, pairs: Pairs, forgery: str, garbage: str
) -> None:
    params = MultiDict(pairs)
    url = BASE + target
    signature = {
        "none": None,
        "empty": "",
        "garbage": garbage,
        "other-token": RequestValidator("not-" + TOKEN).compute_signature(url, params),
        "tampered": RequestValidator(TOKEN).compute_signature(url, params),
        "other-url": RequestValidator(TOKEN).compute_signature(BASE + "/elsewhere", params),
    }[forgery]
    if forgery == "tampered":  # a value Twilio did not sign
        pairs = [*pairs, ("Body", "SCOTLAND " + "".join(v for _, v in pairs))]
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    response = CLIENT.post(target, data=MultiDict(pairs), headers=headers, base_url=BASE)
    assert response.status_code == 403
    assert not any(n[3:] in response.get_data(as_text=True) for n in NUMBERS)


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "multipart/form-data; boundary=frontier",
    "multipart/form-data",
    "text/plain",
    "application/json",
    None,
]


@examples(250)
@given(
    target=st.sampled_from(["/sms", "/voice", "/voice/choose/2", "/voice/dialled/scotland"]),
    raw=st.binary(max_size=4096) | st.binary(max_size=200).map(lambda b: b"Body=" + b + b"&Digits=%ff%fe1"),
    content_type=st.sampled_from(CONTENT_TYPES),
)
def test_raw_bodies_of_any_bytes_and_type_get_safe_twiml(
    raw: bytes, target: str, content_type: str | None
) -> None:
    """Sign what the server will read from the bytes (invalid UTF-8, broken multipart...)."""
    environ = EnvironBuilder(path=target, method="POST", data=raw, content_type=content_type).get_environ()
    parsed = Request(environ).form
    signature = RequestValidator(TOKEN).compute_signature(BASE + target, parsed)
    headers = {"X-Twilio-Signature": signature}
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = CLIENT.post(target, data=raw, headers=headers, base_url=BASE)
    if target == "/sms":
        sms_answer(response, sent=parsed.get("Body", ""))
    else:
        voice_answer(response)


# --- whole calls, walked at random ----------------------------------------------------------

MENU = {o.digit: DIRECTORY.services[o.service].number for o in DIRECTORY.menu}
SPOKEN = {" ".join(p).lower(): s.number for s in DIRECTORY.services.values() for p in s.keywords}
CALL = [("CallSid", "CA" + "2" * 32), ("AccountSid", "AC" + "1" * 32), ("From", "+447700900123"),
        ("To", "+441632960000"), ("CallStatus", "in-progress"), ("Direction", "inbound")]  # fmt: skip


class Walk:
    """One call, following the TwiML the app returns, each answer checked as it comes."""

    def __init__(self) -> None:
        self.url = BASE + "/voice"
        self.answer = self.fetch(self.url, [])

    def fetch(self, url: str, extra: Pairs) -> Answer:
        self.url = urljoin(self.url, url)
        assert self.url.startswith(BASE + "/voice/") or self.url == BASE + "/voice", self.url
        return voice_answer(send(self.url[len(BASE) :], CALL + extra))


@examples(300)
@given(st.data())
def test_random_calls_follow_the_menu_rules_and_never_dead_end(data: st.DataObject) -> None:
    walk = Walk()
    assert walk.answer.kind == "menu" and walk.answer.attempt == 0
    for _ in range(10):
        now = walk.answer
        if now.kind == "ended":
            break
        if now.kind == "dial":
            status = data.draw(dial_status, label="DialCallStatus")
            nxt = walk.fetch(now.dial_url, [("DialCallStatus", status)])
            if status.strip().lower() in ("completed", "answered"):
                assert nxt.kind == "ended" and "Goodbye" in nxt.said[-1]
            elif now.dialled != (NATIONAL,):
                assert nxt.kind == "dial" and nxt.dialled == (NATIONAL,)
            else:
                assert nxt.kind == "ended" and "999" in nxt.said[-1]
                assert spoken_number(DIRECTORY.national_service.written) in nxt.said[-1]
            walk.answer = nxt
            continue
        assert now.kind == "menu" and now.attempt is not None
        action = data.draw(st.sampled_from(["press", "say", "silence"]), label="action")
        missed = False
        if action == "press":
            key = data.draw(digits, label="Digits")
            nxt = walk.fetch(now.next_url, [("Digits", key)])
            if key.strip() in MENU:
                assert nxt.kind == "dial" and nxt.dialled == (MENU[key.strip()],)
            elif key.strip() == DIRECTORY.repeat_digit:
                assert nxt.kind == "menu" and nxt.attempt == now.attempt
            else:
                missed = True
        elif action == "say":
            phrase = data.draw(speech, label="SpeechResult")
            nxt = walk.fetch(now.next_url, [("SpeechResult", phrase), ("Confidence", "0.5")])
            if phrase.lower() in SPOKEN:
                assert nxt.kind == "dial" and nxt.dialled == (SPOKEN[phrase.lower()],)
            else:
                assert nxt.kind in ("menu", "dial")
                assert nxt.kind == "dial" or nxt.attempt in (now.attempt, now.attempt + 1)
        else:
            nxt = walk.fetch(now.next_url, [])
            missed = True
        if missed:
            silent = action == "silence" or not key.strip()  # no key is no input, as silence
            if now.attempt + 1 >= (DIRECTORY.max_silences if silent else DIRECTORY.max_attempts):
                assert nxt.kind == "dial" and nxt.dialled == (NATIONAL,)
            else:
                assert nxt.kind == "menu" and nxt.attempt == now.attempt + 1
        walk.answer = nxt
