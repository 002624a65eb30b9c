"""The AWS emulator for the deploy tests: moto's server on 127.0.0.1, and boto3 clients that reach it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from tools.aws_emulator import Emulator

REGION = "eu-west-2"


@contextmanager
def running() -> Iterator[Emulator]:
    """A fresh emulator on a free loopback port, stopped (and its process ended) afterwards."""
    emulator = Emulator()
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()
    assert emulator.process is None


class Clients:
    """boto3 clients of the emulator's one made-up account, region eu-west-2."""

    def __init__(self, emulator: Emulator, region: str = REGION) -> None:
        self.session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        )
        self.endpoint = emulator.endpoint

    def __call__(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint)

    def everything(self) -> dict[str, list[str]]:
        """Every resource a deploy could leave, by kind (empty lists: nothing was created)."""
        return {
            "functions": [f["FunctionName"] for f in self("lambda").list_functions()["Functions"]],
            "buckets": [b["Name"] for b in self("s3").list_buckets().get("Buckets", [])],
            "roles": [r["RoleName"] for r in self("iam").list_roles()["Roles"]],
            "apis": [a["name"] for a in self("apigateway").get_rest_apis().get("items", [])],
            "rules": [r["Name"] for r in self("events").list_rules()["Rules"]],
            "log groups": [g["logGroupName"] for g in self("logs").describe_log_groups()["logGroups"]],
            "dashboards": [
                d["DashboardName"] for d in self("cloudwatch").list_dashboards()["DashboardEntries"]
            ],
            "stacks": [
                s["StackName"]
                for s in self("cloudformation").list_stacks()["StackSummaries"]
                if s["StackStatus"] != "DELETE_COMPLETE"
            ],
        }
