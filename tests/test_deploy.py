"""Deployment files that must not drift: the Docker image installs exactly the
pinned, hashed requirements.lock made from pyproject.toml (`make lock`; `make
lint` remakes it and compares), and Compose trusts the proxy in front of it."""

import ipaddress
import re
import tomllib
from dataclasses import dataclass, field

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from server.settings import ROOT

PROJECT = "spine-routine"
LOCK = ROOT / "requirements.lock"


@dataclass
class Pin:
    name: str
    version: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def read_lock() -> dict[str, Pin]:
    """The lock's pins, their hashes and what each is there for (pip-compile's notes)."""
    pins: dict[str, Pin] = {}
    pin: Pin | None = None
    for line in LOCK.read_text().splitlines():
        if not line.strip() or (line.startswith("#") and pin is None):
            continue
        if not line.startswith((" ", "#")):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;\\]+)(?:\s*;[^\\]*)?\s*\\?", line)
            assert match, f"not a pinned requirement: {line!r}"
            pin = Pin(canonicalize_name(match[1]), match[2])
            pins[pin.name] = pin
        elif pin is not None and (hashed := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            pin.hashes.append(hashed[1])
        elif pin is not None and (note := re.fullmatch(r"\s*#\s+(?:via\s+)?(\S.*)", line)):
            pin.via.append(note[1].strip())
    return pins


def direct_requirements() -> list[Requirement]:
    """What the image installs: the dependencies, the postgres extra, the build backend."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["postgres"],
        *project["build-system"]["requires"],
    ]
    return [Requirement(text) for text in listed]


def test_the_lock_pins_every_package_with_its_hashes_and_nothing_else() -> None:
    text = LOCK.read_text()
    pins = read_lock()
    assert len(pins) > 20
    for pin in pins.values():
        assert pin.hashes, f"{pin.name} has no hash"
        assert pin.via, f"{pin.name}: pip-compile says nothing of why it is here"
    # No index, link or path of a machine of ours: the image installs from PyPI.
    for forbidden in ("--index-url", "--extra-index-url", "--find-links", "file://", "-e "):
        assert forbidden not in text, forbidden
    assert "make lock" in text.splitlines()[4], "the header says how to make it again"


def test_the_lock_answers_every_requirement_of_pyproject() -> None:
    # A requirement added to or tightened in pyproject.toml without `make lock`
    # fails here, without the network (make lint remakes the whole lock).
    pins = read_lock()
    direct = direct_requirements()
    for requirement in direct:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pins[name].version, prereleases=True), (
            f"{requirement}: the lock has {pins[name].version}; run make lock"
        )
    # And the lock has no requirement of its own that pyproject no longer makes.
    said = {
        name
        for name, pin in pins.items()
        if any(note.startswith(f"{PROJECT} (pyproject.toml") for note in pin.via)
    }
    assert said == {canonicalize_name(r.name) for r in direct}


def test_the_image_installs_only_the_locked_hashes() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = re.findall(r"pip install[^\n]*", dockerfile)
    assert installs, "the Dockerfile installs something"
    assert any("--require-hashes" in i and "-r requirements.lock" in i for i in installs)
    for command in installs:
        locked = "--require-hashes" in command and "-r requirements.lock" in command
        # The app itself: built from the copied source, fetching nothing.
        own = all(flag in command for flag in ("--no-deps", "--no-index", "--no-build-isolation"))
        assert locked or own, f"an install outside the lock: {command}"
    assert re.search(r"^COPY[^\n]*requirements\.lock", dockerfile, re.MULTILINE)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "requirements.lock" not in ignored


@pytest.mark.parametrize("service", ["app"])
def test_compose_trusts_the_proxy_that_reaches_the_app(service: str) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    trusted = compose["services"][service]["environment"]["FORWARDED_ALLOW_IPS"]
    default = re.fullmatch(r"\$\{FORWARDED_ALLOW_IPS:-([^}]+)\}", trusted)
    assert default, trusted
    (network,) = compose["networks"]["default"]["ipam"]["config"]
    # A proxy on the host comes through the network's gateway: the default trusts it
    # (and only it: the port is published on the host's loopback).
    assert ipaddress.ip_address(default[1]) == ipaddress.ip_address(network["gateway"])
    assert ipaddress.ip_address(network["gateway"]) in ipaddress.ip_network(network["subnet"])
    assert all(p.startswith("127.0.0.1:") for p in compose["services"][service]["ports"])
