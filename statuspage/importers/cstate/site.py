"""The cState site's folder and Hugo config: where its files are, and the page settings
(title, base URL, description, language, brand colour) that become statuspage.yaml's."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from statuspage.errors import UsageError
from statuspage.importers.cstate.catalog import Catalog
from statuspage.importers.cstate.report import Report, line_of
from statuspage.outputs.markup import plain_text
from statuspage.source.translations import language_tag
from statuspage.source.yamlfile import YamlError, parse_yaml

CONFIG_FILES = ("hugo.yaml", "hugo.yml", "hugo.toml", "config.yaml", "config.yml", "config.toml")
ISSUES_DIR = Path("content") / "issues"
LINKED_OUT = "a link to outside the cState folder; not read (copy the file in instead)"
# cState display settings with no counterpart; listed once so nothing goes unmentioned.
MAPPED_PARAMS = {"systems", "categories", "description", "brand"}


def linked_out(source: Path, path: Path) -> bool:
    """Whether reading *path* (under *source*) would follow a link out of the cState folder:
    an import must publish only what the folder it was given holds."""
    return not path.resolve().is_relative_to(source.resolve())


def find_config(source: Path) -> Path:
    """The cState (Hugo) config file of *source*, or UsageError."""
    if not source.is_dir():
        raise UsageError(
            f"{source} is not a folder; give the folder of a cState site (with config.yml)"
        )
    for name in CONFIG_FILES:
        if (source / name).is_file():
            if linked_out(source, source / name):
                raise UsageError(f"{source / name}: {LINKED_OUT}")
            return source / name
    raise UsageError(f"no config.yml (or hugo.toml...) in {source}: is it a cState site?")


def find_issues(source: Path) -> Path:
    """The folder of *source* that holds the issues, or UsageError."""
    issues_dir = source / ISSUES_DIR
    if not issues_dir.is_dir():
        raise UsageError(f"no {ISSUES_DIR.as_posix()}/ folder in {source}: is it a cState site?")
    if linked_out(source, issues_dir):
        raise UsageError(f"{issues_dir}: {LINKED_OUT}")
    return issues_dir


def read_zone_setting(source: Path) -> str | None:
    """Hugo's own `timeZone` setting, which is what cState used for dates without an offset."""
    try:
        data = read_config(find_config(source), Report())
    except UsageError:
        return None
    value = data.get("timeZone", data.get("timezone")) if data else None
    return value if isinstance(value, str) and value.strip() else None


def read_config(path: Path, report: Report) -> dict[str, Any] | None:
    """The Hugo config's settings (YAML or TOML), or None with an error reported."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        report.error(path, 0, f"cannot read the cState config: {e}")
        return None
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else parse_yaml(text)
    except (YamlError, tomllib.TOMLDecodeError) as e:
        line = getattr(e, "line", 0)
        report.error(path, line, f"cannot read the cState config: {getattr(e, 'message', e)}")
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        report.error(path, 1, "the cState config must be a mapping of settings")
        return None
    return data


@dataclass(frozen=True)
class Settings:
    """The page settings statuspage.yaml gets from the cState config."""

    title: str
    base_url: str
    description: str | None = None
    language: str | None = None
    brand_color: str | None = None

    def as_yaml(self) -> dict[str, str]:
        """The settings given, in statuspage.yaml's order."""
        given = {
            "title": self.title,
            "base_url": self.base_url,
            "description": self.description,
            "language": self.language,
            "brand_color": self.brand_color,
        }
        return {key: value for key, value in given.items() if value is not None}


def read_settings(data: dict[str, Any], path: Path, report: Report) -> Settings:
    """The page settings of the config *data*; what does not map is warned about."""
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    assert isinstance(params, dict)
    settings = Settings(
        title=_title(data, path, report),
        base_url=_base_url(data, path, report),
        description=_description(params, path, report),
        language=_language(data, path, report),
        brand_color=_brand_color(params),
    )
    _note_unmapped(data, params, path, report)
    return settings


def _title(data: dict[str, Any], path: Path, report: Report) -> str:
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        report.warn(
            "config", path, line_of(data, "title"), "no `title:`; the page is called 'Status'"
        )
        return "Status"
    return title.strip()


def _base_url(data: dict[str, Any], path: Path, report: Report) -> str:
    base_url = data.get("baseURL", data.get("baseurl"))
    if not isinstance(base_url, str) or not re.match(r"^https?://[^/\s]+", base_url):
        report.warn(
            "config",
            path,
            line_of(data, "baseURL"),
            f"`baseURL:` {base_url!r} is not an absolute URL; set `base_url:` in "
            "statuspage.yaml before publishing",
        )
        base_url = "https://status.example.com/"
    return base_url.rstrip("/") + "/"


def _description(params: dict[str, Any], path: Path, report: Report) -> str | None:
    description = params.get("description")
    if not isinstance(description, str) or not description.strip():
        return None
    if re.search(r"\]\(|<https?://", description):
        report.warn(
            "config",
            path,
            line_of(params, "description"),
            "the description's links are not kept: statuspage.yaml `description:` is plain text",
        )
    return " ".join(plain_text(description).split())


def _language(data: dict[str, Any], path: Path, report: Report) -> str | None:
    language = str(data.get("languageCode") or data.get("defaultContentLanguage") or "en").lower()
    primary = re.split(r"[-_]", language)[0]
    if primary == "en":
        return None
    # pt-br -> pt-BR, zh-cn -> zh-CN, de-de -> de-DE
    tag = language_tag(language) or language_tag(primary)
    if tag is None:
        report.warn(
            "config",
            path,
            line_of(data, "languageCode"),
            f"language {language!r} has no translation here; pages are in English",
        )
    return tag


def _brand_color(params: dict[str, Any]) -> str | None:
    brand = params.get("brand")
    if isinstance(brand, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", brand.strip()):
        return brand.strip().lower()
    return None


def _note_unmapped(
    data: dict[str, Any], params: dict[str, Any], path: Path, report: Report
) -> None:
    """Warn of the logo (a file to copy by hand) and of display settings with no counterpart."""
    if params.get("logo") or params.get("useLogo"):
        report.warn(
            "config",
            path,
            line_of(params, "logo"),
            f"logo {params.get('logo')!r} not imported: copy the image into the new site "
            "and set `logo:`",
        )
    ignored = sorted(k for k in params if k not in MAPPED_PARAMS and k not in ("logo", "useLogo"))
    if ignored:
        report.warn(
            "config",
            path,
            line_of(data, "params"),
            f"cState display settings with no counterpart, not imported: {', '.join(ignored)}",
        )


def config_text(settings: Settings, zone: ZoneInfo, catalog: Catalog, source: Path) -> str:
    """The new statuspage.yaml: the settings, the zone and the components, with a note of origin."""
    data = {**settings.as_yaml(), "timezone": zone.key, "components": catalog.entries}
    head = (
        f"# Imported from the cState site {source.resolve().name!r} by `statuspage import "
        "cstate`.\n"
        f"# cState dates without an offset were read as {zone.key} time (--timezone).\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
