"""The schema as editors use it: the real YAML language server over stdio LSP, and every key described."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SCENARIOS
from samples import MINIMAL

from drilltui.scenario.schema import scenario_schema
from drilltui.scenario.yamldata import decode, parse, to_python

SERVER = shutil.which("yaml-language-server")
VALIDATOR = jsonschema.Draft202012Validator(scenario_schema())


def walk(schema: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every property schema in the scenario schema, with its path."""
    out = []
    if isinstance(schema, dict):
        for name, sub in (schema.get("properties") or {}).items():
            out.append((f"{where}.{name}", sub))
            out += walk(sub, f"{where}.{name}")
        for key in ("items", "anyOf"):
            value = schema.get(key)
            for sub in value if isinstance(value, list) else [value] if value else []:
                out += walk(sub, where)
    return out


def test_every_key_has_a_description() -> None:
    keys = walk(scenario_schema())
    assert len(keys) >= 35
    missing = [path for path, sub in keys if not sub.get("description")]
    assert not missing, missing
    described = dict(keys)
    assert "chain of command" in described[".roles.reports_to"]["description"]
    assert described[".injects.method"]["description"] and described[".format"]["description"]


def data(text: str) -> object:
    node, _ = parse(decode(text.encode()))
    return to_python(node)


@pytest.mark.parametrize("zero", ["0s", "0m", "00:00", "0", "0h0m0s", "T+0", "00:00:00", 0])
def test_a_zero_duration_is_refused_by_the_schema_as_by_the_loader(zero: object) -> None:
    text = MINIMAL.replace("duration: 30m", f"duration: {zero}")
    errors = list(VALIDATOR.iter_errors(data(text)))
    assert errors and all(e.path and list(e.path)[0] == "duration" for e in errors)


@pytest.mark.parametrize("good", ["90s", "5m", "1h30m", "2h", "01:30:00", "12:30", "T+5m", 5400])
def test_good_durations_pass(good: object) -> None:
    assert not list(VALIDATOR.iter_errors(data(MINIMAL.replace("duration: 30m", f"duration: {good}"))))


# -- the real YAML language server ------------------------------------------------------------


class LanguageServer:
    """A yaml-language-server child spoken to over stdio LSP, with replies and notifications queued."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.proc = subprocess.Popen([SERVER, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,  # type: ignore[list-item]
                                     stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def wait(self, want: Any, timeout: float = 30) -> dict[str, Any]:
        while True:
            message = self.inbox.get(timeout=timeout)
            if "method" in message and "id" in message:  # the server asks: configuration, registrations
                items = message.get("params", {}).get("items", [])
                result = [self.settings.get(i.get("section"), self.settings) for i in items] if items else None
                self.send({"id": message["id"], "result": result})
                continue
            if want(message):
                return message

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri)["params"]["diagnostics"]

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.send({"method": "exit"})
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    if SERVER is None:
        pytest.skip("yaml-language-server is not installed (npm install -g yaml-language-server; .ci/run does)")
    schema = tmp_path / "drilltui-scenario.schema.json"
    schema.write_text(json.dumps(scenario_schema()), encoding="utf-8")
    version = getattr(request, "param", "1.2")
    settings = {"yaml": {"validate": True, "hover": True, "completion": True, "yamlVersion": version,
                         "schemas": {schema.as_uri(): "*.yaml"}, "schemaStore": {"enable": False}}}
    settings.update(settings["yaml"])
    ls = LanguageServer(settings)
    ls.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {
        "textDocument": {"completion": {"completionItem": {"documentationFormat": ["plaintext", "markdown"]}},
                         "hover": {"contentFormat": ["plaintext", "markdown"]}},
        "workspace": {"configuration": True}}})
    ls.send({"method": "initialized", "params": {}})
    ls.send({"method": "workspace/didChangeConfiguration", "params": {"settings": settings}})
    ls.folder = tmp_path  # type: ignore[attr-defined]
    yield ls
    ls.close()


def open_doc(ls: Any, name: str, text: str) -> str:
    uri = (ls.folder / name).as_uri()
    ls.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
    return uri


def test_the_language_server_puts_a_bad_duration_on_its_line(server: Any) -> None:
    text = MINIMAL.replace("duration: 30m", "duration: soon").replace("    ack_within: 2m", "    ack_within: 0:61")
    uri = open_doc(server, "bad.yaml", text)
    found = server.diagnostics(uri)
    while not found:  # the first publication may come before the schema is read
        found = server.diagnostics(uri)
    lines = {d["range"]["start"]["line"]: d["message"] for d in found}
    duration_line = text.splitlines().index("duration: soon")
    ack_line = text.splitlines().index("    ack_within: 0:61")
    assert lines[duration_line].startswith("Not a duration longer than zero; write it as 90s, 5m")
    assert lines[ack_line].startswith("Not a duration; write it as 90s, 5m")
    assert set(lines) == {duration_line, ack_line}, found


def test_the_language_server_completes_keys_with_their_descriptions(server: Any) -> None:
    text = MINIMAL.replace("    title: Incident Commander\n", "    title: Incident Commander\n    \n", 1)
    line = text.splitlines().index("    title: Incident Commander") + 1
    uri = open_doc(server, "roles.yaml", text)
    server.diagnostics(uri)
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": line, "character": 4}})
    items = {i["label"]: i for i in (result["items"] if isinstance(result, dict) else result)}
    assert {"reports_to", "holder", "kind"} <= set(items), sorted(items)
    doc = items["reports_to"].get("documentation")
    shown = doc.get("value", "") if isinstance(doc, dict) else doc or items["reports_to"].get("detail", "")
    assert "chain of command" in shown
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": text.splitlines().index("    reports_to: ic"), "character": 6}})
    assert "chain of command" in json.dumps(hover)


@pytest.mark.parametrize("server", ["1.1"], indirect=True)
def test_bundled_scenarios_read_cleanly_by_a_yaml_1_1_language_server(server: Any) -> None:
    for path in SCENARIOS:
        uri = open_doc(server, path.name, path.read_text(encoding="utf-8"))
        assert server.diagnostics(uri) == [], path.name
    unquoted = MINIMAL.replace('{inject: I-1, "on":', "{inject: I-1, on:").replace("on: acknowledged", "on: acknowledged")
    uri = open_doc(server, "unquoted.yaml", unquoted)
    found = server.diagnostics(uri)
    assert found, "YAML 1.1 reads an unquoted on: as the boolean true, which the schema refuses"
