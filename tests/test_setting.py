"""`statuspage setting NAME`: what workflows read instead of importing the package's internals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import CONFIG, SiteDir


def setting(root: Path, name: str) -> subprocess.CompletedProcess[str]:
    """Run it as a workflow does: a fresh process, the value on stdout."""
    return subprocess.run([sys.executable, "-m", "statuspage", "setting", name, "--source", str(root)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_prints_each_setting_and_empty_when_unset(tmp_path: Path) -> None:
    plain = SiteDir(tmp_path / "plain")
    assert [setting(plain.root, n).stdout for n in ("cname", "notify", "timezone", "title")] == [
        "\n", "false\n", "Europe/Berlin\n", "Test Status\n"]  # fmt: skip
    custom = SiteDir(tmp_path / "custom", CONFIG.replace("https://status.test.example/sub/", "https://status.test.example/")
                     + "cname: status.test.example\nnotify:\n  webhooks:\n    - url: https://hooks.test.example/x\n")  # fmt: skip
    assert setting(custom.root, "cname").stdout == "status.test.example\n"
    assert setting(custom.root, "notify").stdout == "true\n"
    assert setting(custom.root, "base_url").stdout == "https://status.test.example/\n"


def test_a_site_with_errors_says_where_and_fails(tmp_path: Path) -> None:
    bad = SiteDir(tmp_path / "bad", CONFIG + "cname: https://status.test.example/\n")
    done = setting(bad.root, "cname")
    assert done.returncode == 1 and done.stdout == ""
    assert "statuspage.yaml:" in done.stderr and "`cname:` must be a bare domain name" in done.stderr


def test_an_unknown_name_is_a_usage_error_listing_the_names(tmp_path: Path) -> None:
    done = setting(SiteDir(tmp_path / "site").root, "cnmae")
    assert done.returncode == 2 and "'cname'" in done.stderr and "'notify'" in done.stderr


def test_notify_is_false_without_an_endpoint_even_with_the_section(tmp_path: Path) -> None:
    """A workflow skips its notify step on false: with `webhooks: []` it would send nothing."""
    empty = SiteDir(tmp_path / "empty", CONFIG + "notify:\n  webhooks: []\n  deadline: 30\n")
    assert setting(empty.root, "notify").stdout == "false\n"


def test_pages_extra_names_a_workflow_file_or_is_refused_at_its_line(tmp_path: Path) -> None:
    """publish.yml deploys that workflow's `pages-extra` artifact beside the page."""
    assert setting(SiteDir(tmp_path / "plain").root, "pages_extra").stdout == "\n"
    docs = SiteDir(tmp_path / "docs", CONFIG + "pages_extra: docs.yml\n")
    assert setting(docs.root, "pages_extra").stdout == "docs.yml\n"
    for bad in ("../../etc/passwd", "docs.yml; rm -rf /", "docs"):
        site = SiteDir(tmp_path / f"bad{len(bad)}", CONFIG + f"pages_extra: '{bad}'\n")
        done = setting(site.root, "pages_extra")
        line = CONFIG.count("\n") + 1
        assert done.returncode == 1 and done.stdout == ""
        assert f"statuspage.yaml:{line}: `pages_extra:` is a workflow's file name in .github/workflows/, like docs.yml" in done.stderr
