"""The baseline: the smallest Flask app that answers /sms with twilio's MessagingResponse."""

from flask import Flask
from twilio.twiml.messaging_response import MessagingResponse

app = Flask(__name__)


@app.post("/sms")
def sms() -> tuple[str, int, dict[str, str]]:
    response = MessagingResponse()
    response.message("Call the National Domestic Abuse Helpline on 0808 2000 247. In danger, call 999.")
    return str(response), 200, {"Content-Type": "text/xml"}
