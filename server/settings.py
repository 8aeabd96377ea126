"""Configuration: one validated class, read from the environment."""

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
# An origin: scheme, host (a name, an IPv4 address or a bracketed IPv6 one), port.
ORIGIN = r"^https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$"


class Settings(BaseSettings):
    """Every knob of the server, read from environment variables (or `.env`)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    database_url: str = f"sqlite:///{ROOT / 'data' / 'spine.db'}"
    content_dir: Path = ROOT / "content"
    web_dir: Path = ROOT / "web"
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Quotas of one account: the bytes of its records' data, its records (deleted
    # ones too: their tombstones stay), and its devices.
    max_account_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    max_account_records: int = Field(default=100_000, ge=1)
    max_devices: int = Field(default=20, ge=1, le=1000)
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    workers: int = Field(default=1, ge=1, le=64)
    # Proxies whose X-Forwarded-For is trusted for the client address (used by rate limits).
    forwarded_allow_ips: str = "127.0.0.1"
    # The origin people open, such as https://spine.example.org (no path). When it
    # is https, every answer carries HSTS. Redirects are relative, never from Host.
    public_url: str = Field(default="", pattern=f"({ORIGIN})|^$")
    # Reminders: how often the scheduler looks for due ones (0 turns it off), and
    # the contact push services may write to about this server (VAPID "sub").
    reminders_every_seconds: float = Field(default=30, ge=0)
    push_contact: str = Field(default="mailto:reminders@example.org", pattern=r"^(mailto|https):")
    # Push services besides the browsers' own that reminders may be sent to, for
    # self-hosted ones (UnifiedPush): host names, comma-separated; "*.example.org"
    # takes its subdomains.
    push_services: str = ""
    # Tests only: accept push endpoints on the loopback address over plain http.
    push_allow_loopback: bool = False

    @field_validator("public_url", mode="before")
    @classmethod
    def _origin_without_slash(cls, value: object) -> object:
        return value.strip().rstrip("/") if isinstance(value, str) else value

    @property
    def https(self) -> bool:
        """Whether the public origin is https (PUBLIC_URL), so HSTS is sent."""
        return self.public_url.startswith("https://")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> "Settings":
        # Production listens publicly behind a proxy; an in-memory database
        # would silently lose every log on restart.
        in_memory = ":memory:" in self.database_url or self.database_url == "sqlite://"
        if self.environment == "production" and in_memory:
            raise ValueError("DATABASE_URL must not be an in-memory database in production")
        return self
