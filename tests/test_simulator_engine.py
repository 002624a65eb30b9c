"""The engine follows TwiML as Twilio does, against a scripted app that checks every signature."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from flask import Flask, Response, request
from twilio.request_validator import RequestValidator

from simulator import engine
from simulator.engine import Call, Dialling, Ended, Listening, Message, NoReply, Note, Problem, Text
from simulator.transport import InProcess

TOKEN = "engine-test-token"
BASE = "https://twiml.example.org/app"


@dataclass
class Hit:
    method: str
    path: str
    form: dict[str, str]
    signed: bool


@dataclass
class Script:
    """An app that answers each path with a fixed document and records what Twilio sent."""

    pages: dict[str, str | tuple[int, str, str]]
    hits: list[Hit] = field(default_factory=list)

    def app(self) -> Flask:
        app = Flask(__name__)

        @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
        @app.route("/<path:path>", methods=["GET", "POST"])
        def page(path: str) -> Response:
            form = request.form.to_dict() if request.method == "POST" else request.args.to_dict()
            signature = request.headers.get("X-Twilio-Signature", "")
            params = request.form.to_dict() if request.method == "POST" else {}
            signed = RequestValidator(TOKEN).validate(request.url, params, signature)
            self.hits.append(Hit(request.method, "/" + path, form, signed))
            answer = self.pages.get("/" + path, (404, "text/plain", "no such page"))
            if isinstance(answer, str):
                return Response(answer, status=200, mimetype="text/xml")
            status, mimetype, body = answer
            return Response(body, status=status, mimetype=mimetype)

        return app

    def call(self, **kwargs: object) -> Call:
        transport = InProcess(self.app().test_client(), TOKEN, BASE)
        return Call(transport, names={"+441632960111": "Test Line"}, **kwargs)  # type: ignore[arg-type]

    def text(self, body: str) -> Text:
        return Text(InProcess(self.app().test_client(), TOKEN, BASE), body).send()

    @property
    def paths(self) -> list[str]:
        return [h.path for h in self.hits]


def twiml(*verbs: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"


MENU = twiml(
    '<Gather numDigits="1" action="choose/1"><Say>Press 1.</Say></Gather>',
    "<Say>After the gather.</Say>",
    '<Redirect method="POST">/app/voice</Redirect>',
)


# Requests: what Twilio sends, signed ---------------------------------------------------------


def test_a_call_sends_twilios_parameters_signed() -> None:
    script = Script({"/voice": MENU, "/voice/choose/1": twiml("<Hangup/>")})
    call = script.call(caller="+447700900555").start().press("1")
    first, second = script.hits
    assert first.signed and second.signed
    assert first.form["CallStatus"] == "ringing" and second.form["CallStatus"] == "in-progress"
    for hit in script.hits:
        assert hit.form["From"] == hit.form["Caller"] == "+447700900555"
        assert hit.form["Direction"] == "inbound" and hit.form["ApiVersion"] == "2010-04-01"
        assert hit.form["CallSid"] == call.sid and hit.form["AccountSid"].startswith("AC")
    assert second.form["Digits"] == "1" and second.form["FinishedOnKey"] == ""
    assert "SpeechResult" not in second.form


def test_a_text_sends_twilios_parameters_signed() -> None:
    script = Script({"/sms": twiml("<Message>ok</Message>")})
    script.text("Wáles ŵ")
    (hit,) = script.hits
    assert hit.signed and hit.path == "/sms" and hit.method == "POST"
    assert hit.form["Body"] == "Wáles ŵ" and hit.form["NumSegments"] == "1" and hit.form["NumMedia"] == "0"
    assert hit.form["MessageSid"] == hit.form["SmsSid"] and hit.form["MessageSid"].startswith("SM")
    assert hit.form["SmsStatus"] == "received" and hit.form["FromCountry"] == "GB"


def test_speech_sends_the_phrase_and_a_confidence() -> None:
    script = Script(
        {"/voice": twiml('<Gather input="speech" action="/app/heard"/>'), "/heard": twiml("<Hangup/>")}
    )
    script.call().start().say("  northern ireland ")
    heard = script.hits[-1]
    assert heard.path == "/heard" and heard.form["SpeechResult"] == "northern ireland"
    assert 0 < float(heard.form["Confidence"]) <= 1 and "Digits" not in heard.form


# <Gather> ------------------------------------------------------------------------------------


def test_silence_goes_on_to_the_next_verb() -> None:
    script = Script({"/voice": MENU})
    call = script.call().start().silence()
    assert call.said == ["Press 1.", "After the gather.", "Press 1."]
    assert script.paths == ["/voice", "/voice"] and call.waiting_for == "Gather"


def test_silence_goes_to_the_action_when_action_on_empty_result() -> None:
    script = Script(
        {
            "/voice": twiml('<Gather actionOnEmptyResult="true" action="empty"/><Say>Never heard.</Say>'),
            "/empty": twiml("<Say>Action reached.</Say>"),
        }
    )
    call = script.call().start().silence()
    assert call.said == ["Action reached."] and call.ended
    assert "Digits" not in script.hits[-1].form and "SpeechResult" not in script.hits[-1].form


def test_num_digits_ends_the_gather_and_later_keys_go_unheard() -> None:
    script = Script({"/voice": twiml('<Gather numDigits="2" action="/app/got"/>'), "/got": twiml()})
    call = script.call().start().press("1234")
    assert script.hits[-1].form["Digits"] == "12"
    assert any(isinstance(e, Note) and "34 went unheard" in e.text for e in call.events)


def test_the_finish_key_is_hash_by_default_and_not_sent() -> None:
    script = Script({"/voice": twiml('<Gather action="/app/got"/>'), "/got": twiml()})
    script.call().start().press("42#")
    assert script.hits[-1].form["Digits"] == "42" and script.hits[-1].form["FinishedOnKey"] == "#"


def test_a_custom_finish_key_and_an_empty_one() -> None:
    script = Script(
        {
            "/voice": twiml('<Gather finishOnKey="*" action="/app/got"/>'),
            "/got": twiml('<Gather finishOnKey=""/>'),
        }
    )
    call = script.call().start().press("1#2*9")
    assert script.hits[-1].form["Digits"] == "1#2" and script.hits[-1].form["FinishedOnKey"] == "*"
    call.press("1#")  # no finish key: # is a digit, the caller stops and the Gather times out
    assert script.hits[-1].form["Digits"] == "1#" and script.hits[-1].form["FinishedOnKey"] == ""


def test_the_finish_key_alone_is_no_input() -> None:
    script = Script({"/voice": MENU})
    call = script.call().start().press("#")
    assert call.said[-2:] == ["After the gather.", "Press 1."] and script.paths == ["/voice", "/voice"]


def test_gather_without_action_posts_to_the_current_document() -> None:
    script = Script({"/voice": twiml("<Say>Hi</Say>", "<Gather/>")})
    script.call().start().press("7#")
    assert script.paths == ["/voice", "/voice"] and script.hits[-1].form["Digits"] == "7"


def test_keys_at_a_speech_only_gather_go_unheard() -> None:
    script = Script({"/voice": twiml('<Gather input="speech" action="/app/x"/>', "<Say>No input.</Say>")})
    call = script.call().start().press("1")
    assert call.said == ["No input."] and call.ended and script.paths == ["/voice"]


def test_gather_shows_what_it_listens_for() -> None:
    script = Script({"/voice": twiml('<Gather input="dtmf speech" numDigits="1" timeout="6"/>')})
    listening = [e for e in script.call().start().events if isinstance(e, Listening)]
    assert listening == [Listening(dtmf=True, speech=True, num_digits=1, finish_on_key="#", timeout=6)]


# URLs and methods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "reached"),
    [("next", "/voice/next"), ("../top", "/top"), ("/app/abs", "/abs"), (BASE + "/full", "/full")],
)
def test_relative_urls_resolve_against_the_current_document(action: str, reached: str) -> None:
    script = Script({"/voice/menu": twiml(f'<Gather action="{action}"/>'), reached: twiml("<Hangup/>")})
    script.pages["/voice"] = twiml("<Redirect>voice/menu</Redirect>")
    call = script.call().start().press("1#")
    assert script.paths == ["/voice", "/voice/menu", reached] and call.ended and call.problem is None


def test_method_get_sends_the_parameters_in_the_signed_query() -> None:
    script = Script({"/voice": twiml('<Gather method="GET" action="/app/got"/>'), "/got": twiml()})
    script.call().start().press("5#")
    last = script.hits[-1]
    assert last.method == "GET" and last.signed and last.form["Digits"] == "5"


def test_redirect_is_followed_with_post_by_default() -> None:
    script = Script({"/voice": twiml("<Redirect>/app/two</Redirect>"), "/two": twiml("<Say>Two.</Say>")})
    call = script.call().start()
    assert [h.method for h in script.hits] == ["POST", "POST"] and call.said == ["Two."] and call.ended


def test_a_redirect_loop_stops_with_a_clear_report() -> None:
    script = Script({"/voice": twiml("<Say>Again.</Say><Redirect>/app/voice</Redirect>")})
    call = script.call(max_hops=5).start()
    assert call.ended and call.problem and call.problem.startswith("Redirect loop: 5 requests in a row")
    assert len(script.hits) == 5


# <Dial> --------------------------------------------------------------------------------------


def test_dial_shows_the_name_and_posts_the_outcome_to_its_action() -> None:
    script = Script(
        {"/voice": twiml('<Dial action="/app/after" timeout="30"><Number>+441632960111</Number></Dial>'),
         "/after": twiml("<Say>After.</Say>")}
    )  # fmt: skip
    call = script.call().start()
    assert call.waiting_for == "Dial" and Dialling("+441632960111", "Test Line") in call.events
    call.dial_ends("busy")
    form = script.hits[-1].form
    assert form["DialCallStatus"] == "busy" and form["DialBridged"] == "false"
    assert form["DialCallSid"].startswith("CA") and "DialCallDuration" not in form
    assert call.said == ["After."] and call.ended


def test_an_answered_dial_reports_its_duration() -> None:
    script = Script({"/voice": twiml('<Dial action="/app/after">+441632960222</Dial>'), "/after": twiml()})
    call = script.call().start()
    assert call.dialled == ["+441632960222"]
    assert Dialling("+441632960222", "") in call.events  # not in the directory: no name
    call.dial_ends("completed")
    form = script.hits[-1].form
    assert form["DialCallStatus"] == "completed" and form["DialBridged"] == "true"
    assert int(form["DialCallDuration"]) > 0


def test_a_dial_without_action_goes_on_to_the_next_verb() -> None:
    script = Script({"/voice": twiml("<Dial><Number>+441632960111</Number></Dial>", "<Say>Next.</Say>")})
    call = script.call().start().dial_ends("no-answer")
    assert call.said == ["Next."] and call.ended and script.paths == ["/voice"]


def test_what_the_call_is_not_waiting_for_is_refused() -> None:
    script = Script({"/voice": twiml("<Dial>+441632960111</Dial>")})
    call = script.call().start()
    with pytest.raises(engine.CallError, match="waiting for the Dial"):
        call.press("1")
    with pytest.raises(engine.CallError, match="completed, busy, no-answer, failed"):
        call.dial_ends("exploded")
    call.dial_ends("failed")
    with pytest.raises(engine.CallError, match="has ended"):
        call.silence()


def test_ssml_inside_say_is_read_and_a_whisper_url_is_noted() -> None:
    script = Script(
        {"/voice": twiml('<Say>Call <say-as interpret-as="telephone">0808 2000 247</say-as> now.</Say>',
                         '<Dial><Number url="/whisper">+441632960111</Number></Dial>')}
    )  # fmt: skip
    call = script.call().start()
    assert call.said == ["Call 0808 2000 247 now."]
    assert Note("the answering line would first hear /whisper: not followed") in call.events


def test_hangup_and_the_end_of_the_document_end_the_call() -> None:
    hung = Script({"/voice": twiml("<Say>Bye.</Say><Hangup/><Say>Never.</Say>")}).call().start()
    assert hung.said == ["Bye."] and hung.events[-1] == Ended("<Hangup>")
    ran_out = Script({"/voice": twiml("<Pause length='2'/>")}).call().start()
    assert ran_out.ended and isinstance(ran_out.events[-1], Ended) and ran_out.problem is None


# Problems are reported, never skipped ---------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (twiml("<Say>Hi.</Say><Record/>"), "Unsupported verb <Record>"),
        (twiml("<Sya>Typo</Sya>"), "Unknown verb <Sya>"),
        (twiml("<Gather><Dial>+441632960111</Dial></Gather>"), "<Dial> inside <Gather>"),
        (twiml('<Gather numDigits="one"/>'), 'numDigits="one"'),
        (twiml('<Gather finishOnKey="##"/>'), 'finishOnKey="##"'),
        (twiml("<Dial><Conference>room</Conference></Dial>"), "holds <Conference>"),
        (twiml("<Dial></Dial>"), "no number to dial"),
        ("<Response><Say>unclosed</Response>", "does not parse"),
        ("<Reply><Say>Hi</Say></Reply>", "answered <Reply>"),
        ((200, "text/plain", "Call 0808 2000 247"), "answered text/plain, not TwiML"),
        ((500, "text/html", "<h1>Internal Server Error</h1>"), "HTTP 500"),
        ((403, "text/plain", "Forbidden"), "signature did not match"),
        (twiml("<Redirect>https://elsewhere.example.com/x</Redirect>"), "not on the app being simulated"),
    ],
)
def test_an_unsupported_verb_or_malformed_twiml_is_reported(
    page: str | tuple[int, str, str], expected: str
) -> None:
    call = Script({"/voice": page}).call().start()
    assert call.ended and call.problem is not None and expected in call.problem
    assert isinstance(call.events[-1], Problem) and call.events[-1].text == call.problem


def test_a_verb_before_the_problem_is_still_played() -> None:
    call = Script({"/voice": twiml("<Say>Hi.</Say><Record/>")}).call().start()
    assert call.said == ["Hi."]


# Texts ---------------------------------------------------------------------------------------


def test_a_message_is_shown_with_its_size() -> None:
    script = Script(
        {"/sms": twiml("<Message>" + "a" * 161 + "</Message>", "<Message><Body>ŵ</Body></Message>")}
    )
    long, welsh = script.text("hi").messages
    assert (long.encoding, long.segments) == ("GSM-7", 2)
    assert (welsh.text, welsh.encoding, welsh.segments) == ("ŵ", "UCS-2", 1)


def test_an_empty_response_is_no_reply() -> None:
    assert Script({"/sms": twiml()}).text("STOP").events[-1] == NoReply()


def test_a_text_reply_may_redirect() -> None:
    script = Script(
        {"/sms": twiml("<Redirect>/app/sms/2</Redirect>"), "/sms/2": twiml("<Message>two</Message>")}
    )
    text = script.text("hi")
    assert [m.text for m in text.messages] == ["two"] and script.paths == ["/sms", "/sms/2"]
    assert script.hits[1].form["Body"] == "hi" and script.hits[1].signed


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (twiml("<Say>Wrong kind</Say>"), "Unsupported verb <Say>"),
        ("not xml at all <", "does not parse"),
        (twiml("<Redirect>/app/sms</Redirect>"), "Redirect loop"),
    ],
)
def test_problems_in_a_text_reply_are_reported(page: str, expected: str) -> None:
    text = Script({"/sms": page}).text("hi")
    assert text.problem is not None and expected in text.problem
    assert not any(isinstance(e, Message) for e in text.events)


# Timing: seconds of audio and waiting, as the caller lives them ---------------------------------


def test_two_clocks_time_prompts_pauses_and_timeouts() -> None:
    # 5 words = 2 s at 2.5 words a second; a Pause of 3 s; a Gather timeout of 4 s
    five = "<Say>one two three four five</Say>"
    script = Script(
        {
            "/voice": twiml(
                five,
                '<Gather numDigits="1" timeout="4" action="k">',
                five,
                '<Pause length="3"/>',
                "</Gather>",
                '<Redirect method="POST">/app/quiet</Redirect>',
            ),
            "/k": twiml(five, "<Dial>+441632960111</Dial>"),
            "/quiet": twiml('<Say loop="2">one two three four five</Say><Dial>+441632960111</Dial>'),
        }
    )
    pressed = script.call().start()
    assert pressed.first_answer_counts == 2.0
    listening = next(e for e in pressed.events if isinstance(e, Listening))
    assert listening.prompts_seconds == 5.0 and listening.timeout == 4
    pressed.press("1")
    ringing = next(e for e in pressed.events if isinstance(e, Dialling))
    assert (ringing.seconds_at_once, ringing.seconds) == (2.0 + 2.0, 2.0 + 5.0 + 2.0)
    silent = script.call().start().silence()
    ringing = next(e for e in silent.events if isinstance(e, Dialling))
    assert ringing.seconds_at_once == ringing.seconds == 2.0 + 5.0 + 4.0 + 4.0  # the Say loops twice


def test_a_phrase_counts_at_once_and_keys_a_gather_cannot_hear_wait_it_out() -> None:
    script = Script(
        {
            "/voice": twiml(
                '<Gather input="speech" timeout="5" action="k"><Say>one two three four five</Say>',
                "</Gather>",
                "<Dial>+441632960111</Dial>",
            ),
            "/k": twiml("<Dial>+441632960111</Dial>"),
        }
    )
    spoken = script.call().start().say("wales")
    assert (spoken.seconds_at_once, spoken.seconds) == (0.0, 2.0)
    keyed = script.call().start().press("2")  # speech only: the keys go unheard, the Gather times out
    assert keyed.seconds_at_once == keyed.seconds == 7.0
