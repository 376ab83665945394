"""The `smtp:` settings of a `notify:` e-mail endpoint, checked at their lines."""

from __future__ import annotations

from typing import Any

from statuspage.model import VARIABLE
from statuspage.source.section_parser import SectionParser
from statuspage.source.section_schemas import SMTP
from statuspage.source.yamlfile import YamlMap, boolean_problem


class SmtpParser(SectionParser):
    """Reads an e-mail endpoint's `smtp:` mapping (the notify: parser builds on it)."""

    def smtp(self, smtp: YamlMap) -> dict[str, Any]:
        self.unknown_keys(smtp, SMTP.names, "smtp")
        host = self.text(smtp, "host", "the SMTP server, e.g. email-smtp.eu-west-1.amazonaws.com")
        flags = {}
        for key in ("starttls", "ssl"):
            value = smtp.get(key, key == "starttls" and not smtp.get("ssl"))
            if refused := boolean_problem(key, value):
                self.error(smtp.line_of(key), refused)
                value = False
            flags[key] = value
        if flags["starttls"] and flags["ssl"]:
            self.error(
                smtp.line_of("ssl"),
                "choose one of `starttls: true` (usually port 587) and `ssl: true` (usually port "
                "465)",
            )
        default_port = 465 if flags["ssl"] else 587 if flags["starttls"] else 25
        port = smtp.get("port", default_port)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            self.error(smtp.line_of("port"), "`port:` must be a port number such as 587")
            port = default_port
        timeout = smtp.get("timeout", 10)
        if (
            not isinstance(timeout, int | float)
            or isinstance(timeout, bool)
            or not 0 < timeout <= 120
        ):
            self.error(smtp.line_of("timeout"), "`timeout:` must be a number of seconds up to 120")
            timeout = 10
        username, password = smtp.get("username"), smtp.get("password")
        for key, value in (("username", username), ("password", password)):
            if value is not None and not isinstance(value, str):
                self.error(
                    smtp.line_of(key),
                    f"`{key}:` must be text, best an environment variable: ${{SMTP_{key.upper()}}}",
                )
        if (username is None) != (password is None):
            self.error(smtp.line, "give both `username:` and `password:`, or neither")
        if password is not None and isinstance(password, str) and not VARIABLE.search(password):
            self.problems.warning(
                self.path,
                smtp.line_of("password"),
                "the SMTP password is written into the repository; write `password: "
                "${SMTP_PASSWORD}` and set it as a secret",
            )
        if username and not (flags["starttls"] or flags["ssl"]):
            self.problems.warning(
                self.path,
                smtp.line_of("username"),
                "the SMTP login would travel unencrypted; set `starttls: true` or `ssl: true`",
            )
        return {
            "host": host,
            "port": port,
            "timeout": timeout,
            "username": username,
            "password": password,
            **flags,
        }
