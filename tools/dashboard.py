"""The CloudWatch dashboard `make deploy` puts for a stage: the router's figures and its function's health.

The router writes one Embedded Metric Format line per request (routes/figures.py): `Requests` per
[channel, outcome] and per [channel, service], `Latency` per [channel], in the `HelplineRouter`
namespace. Every chart asks with a SEARCH expression, so a new channel, helpline or outcome appears
on the dashboard without a new deploy. Those figures carry no stage or function dimension: every
stage in one account and region shares them. The function's own Lambda metrics are per stage.
"""

from __future__ import annotations

from typing import Any

NAMESPACE = "HelplineRouter"
DAY = 86400
HOUR = 3600
FIVE_MINUTES = 300
WIDTH = 24  # a dashboard's grid is 24 units wide
HEIGHT = 6


def name(lambda_name: str) -> str:
    """The dashboard's name: the function's (`helpline-router-<stage>`), unique per stage."""
    return lambda_name


def search(dimensions: str, metric: str, stat: str, period: int, where: str = "") -> str:
    """A SEARCH expression over every series of `metric` with exactly these dimensions."""
    query = f'{{{NAMESPACE},{dimensions}}} MetricName="{metric}"'
    if where:
        query += f" {where}"
    return f"SEARCH('{query}', '{stat}', {period})"


def _expression(expression: str, ident: str, label: str, period: int) -> list[dict[str, Any]]:
    return [{"expression": expression, "id": ident, "label": label, "period": period}]


def _chart(
    title: str,
    region: str,
    metrics: list[list[Any]],
    *,
    period: int,
    stat: str = "Sum",
    stacked: bool = False,
    view: str = "timeSeries",
    unit: str = "",
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "title": title,
        "region": region,
        "view": view,
        "stacked": stacked,
        "period": period,
        "stat": stat,
        "metrics": metrics,
    }
    if unit:
        properties["yAxis"] = {"left": {"label": unit, "showUnits": False, "min": 0}}
    return {"type": "metric", "properties": properties}


def body(lambda_name: str, stage: str, region: str) -> dict[str, Any]:
    """The dashboard's body, as put_dashboard takes it (once serialised to JSON)."""
    requests = "Requests"
    latency = "Latency"
    charts = [
        _chart(
            "Requests per day, by helpline given (and channel)",
            region,
            [_expression(search("channel,service", requests, "Sum", DAY), "byservice", "", DAY)],
            period=DAY,
            stacked=True,
            view="bar",
        ),
        _chart(
            "Outcomes per hour (services, menu, connect, fallback, refused...)",
            region,
            [_expression(search("channel,outcome", requests, "Sum", HOUR), "outcomes", "", HOUR)],
            period=HOUR,
            stacked=True,
        ),
        _chart(
            "Requests per hour, by channel",
            region,
            # One Latency value is written per request, so its sample count is the request count.
            [_expression(search("channel", latency, "SampleCount", HOUR), "channels", "", HOUR)],
            period=HOUR,
            stat="SampleCount",
            stacked=True,
        ),
        _chart(
            "Latency p50 and p99, by channel (ms)",
            region,
            [
                _expression(search("channel", latency, "p50", FIVE_MINUTES), "p50", "p50", FIVE_MINUTES),
                _expression(search("channel", latency, "p99", FIVE_MINUTES), "p99", "p99", FIVE_MINUTES),
            ],
            period=FIVE_MINUTES,
            stat="p99",
            unit="ms",
        ),
        _chart(
            "Answered with the fallback or refused (bad signature), per hour",
            region,
            [
                _expression(
                    search(
                        "channel,outcome",
                        requests,
                        "Sum",
                        HOUR,
                        where='(outcome="fallback" OR outcome="refused")',
                    ),
                    "trouble",
                    "",
                    HOUR,
                )
            ],
            period=HOUR,
        ),
        _chart(
            f"Function {lambda_name}: invocations, errors, throttles",
            region,
            [
                ["AWS/Lambda", metric, "FunctionName", lambda_name, {"stat": "Sum", "label": metric}]
                for metric in ("Invocations", "Errors", "Throttles")
            ],
            period=HOUR,
        ),
    ]
    widgets = [
        {
            "type": "text",
            "x": 0,
            "y": 0,
            "width": WIDTH,
            "height": 2,
            "properties": {
                "markdown": (
                    f"## Helpline router, stage `{stage}`\n"
                    f"Figures from every request (namespace `{NAMESPACE}`, shared by all stages in "
                    f"{region}), and the health of the function `{lambda_name}`."
                )
            },
        }
    ]
    half = WIDTH // 2
    for index, chart in enumerate(charts):
        chart.update(x=(index % 2) * half, y=2 + (index // 2) * HEIGHT, width=half, height=HEIGHT)
        widgets.append(chart)
    return {"widgets": widgets}
