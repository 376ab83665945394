"""Spot blame-shaped sentences in a postmortem: ones that name a person as the cause.

A blameless review explains what the system and the process allowed, not who
slipped. This is a nudge (`statuspage check` warns), so the patterns are narrow
on purpose: an `@handle`, or a person-shaped name right before a verb that only
people do ("Alice forgot", "Bob didn't check", "Carol's mistake"). Systems fail
too ("Redis failed over", "The deploy failed"), and those must not be flagged.
Code (spans and fenced blocks) and link targets are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>]*>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")

# `@alice`, not `ops@acme.example`, `@types/node`, `@acme.example` or Slack's `@here`.
_HANDLE = re.compile(r"(?<![\w@./+-])@(?P<handle>[A-Za-z0-9][A-Za-z0-9_-]*)(?![\w/@-])(?!\.\w)")
_NOT_PEOPLE_HANDLES = {"here", "channel", "everyone", "all", "oncall", "on-call"}

_NAME = r"[A-Z][a-z]*'?[A-Z]?[a-z]+"
# What only people do (systems never "forget"), and what people are blamed for not doing.
_PERSON_ACTS = (
    r"check|double-check|test|notice|review|read|follow|verify|reali[sz]e|know|ask|bother|look|"
    r"catch|escalate|communicate|tell|inform|consult|understand|remember|think"
)
_BLAME = re.compile(
    rf"""(?P<who>\b(?:{_NAME}\s+)?(?P<name>{_NAME}|he|she))\s+
    (?P<what>
      forgot|forgets|neglected|overlooked|messed\ up|screwed\ up|fat-fingered|dropped\ the\ ball
    | was\ careless|was\ negligent|was\ supposed\ to
    | should(?:\ have|'ve)\ (?:known|checked|tested|noticed|caught|reviewed|asked|waited)
    | (?:didn't|did\ not|failed\ to|never|forgot\ to|refused\ to)\ (?:{_PERSON_ACTS})
    | (?:accidentally|mistakenly|carelessly|wrongly)\ \w+
    | ignored\ (?:the\ |our\ |an?\ )?(?:alerts?|warnings?|pages?|runbook|checklist|process|review)
    | broke\ (?:the\ )?(?:build|production|prod|main|master|deploy(?:ment)?|site
                        |config(?:uration)?|pipeline|things|everything)
    | (?:pushed|deployed|merged|shipped|committed|made)
      \ an?\ (?:bad|broken|faulty|buggy|wrong|careless|untested|mistake|error)
    )\b""",
    re.VERBOSE,
)
_POSSESSIVE = re.compile(
    rf"\b(?P<name>{_NAME})'s\s+(?P<what>mistake|fault|oversight|typo|blunder|carelessness|negligence)\b"
)

# Capitalised words that are not people: sentence openers, teams, parts of a system,
# and systems whose names look like first names. Keeps false positives low.
_NOT_NAMES = frozenset(  # a word list reads better than 200 quoted strings
    """The A An We Our Us It Its This That These Those They Their There Then When While After Before
    Because Since Also And But Or So No Nobody Nothing Someone Somebody Everyone Everybody Anyone
    Who Which What Why How Each Every Some All Any One If However Unfortunately Initially Finally
    Later Meanwhile Still Yet Thus Therefore Again First Next Here Now Today Yesterday Instead
    I You Team Teams Engineering Support Operations Ops Customers Users Staff Management Leadership
    System Systems Service Services Server Servers Deploy Deploys Automation Tooling Review Reviewer
    Reviewers Process Pipeline Check Checks Test Tests Canary Staging Production Rollout Rollback
    Cluster Node Nodes Database Scheduler Load Cache Proxy Script Job Jobs Cron Config Alert Alerts
    Runbook Dashboard Oncall Engineer Engineers Developer Developers Operator Operators Vendor
    Provider
    Kubernetes Redis Postgres Nginx Terraform Ansible Puppet Chef Jenkins Sentry Grafana Prometheus
    Alertmanager Consul Vault Docker Helm Azure Cloudflare Fastly Akamai Kafka Elasticsearch Mongo
    Cassandra Envoy Istio Linux Certbot Nomad Vercel Netlify Heroku Stripe Twilio Slack Opsgenie
    Chrome
    Firefox Safari Windows Python Java Ruby Go Rust Git Gitlab Bitbucket Argo Flux Spinnaker Celery
    Sidekiq Memcached Varnish Traefik Caddy Apache Tomcat Zookeeper Etcd Pgbouncer
    Datadog""".split()  # noqa: SIM905
)
# Suffixes of abstract nouns that open sentences ("Monitoring didn't notice") but end no names.
_NOUN_SUFFIX = re.compile(r"(?:ing|tion|sion|ment|ness|ity|ance|ence|ure|ics|ism|ogy)$")


@dataclass(frozen=True)
class Finding:
    """One blame-shaped phrase, at a line counted from 0 within the text."""

    offset: int
    phrase: str


def blame_findings(markdown: str) -> list[Finding]:
    """Phrases in *markdown* that name a person as the cause of something, in order."""
    findings: list[Finding] = []
    in_fence = False
    for offset, raw in enumerate(markdown.split("\n")):
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = _prose(raw)
        for m in _HANDLE.finditer(line):
            if m["handle"].lower() not in _NOT_PEOPLE_HANDLES:
                findings.append(Finding(offset, m[0]))
        for m in _BLAME.finditer(line):
            if _is_person(m["name"]):
                who = m["who"] if _is_person(m["who"].split()[0]) else m["name"]
                findings.append(Finding(offset, f"{who} {m['what']}"))
        for m in _POSSESSIVE.finditer(line):
            if _is_person(m["name"]):
                findings.append(Finding(offset, m[0]))
    return findings


def _prose(line: str) -> str:
    """The line's readable text: no code spans, link targets or emphasis marks; straight quotes."""
    line = line.replace("\u2019", "'")
    line = _CODE_SPAN.sub(" ", line)
    line = _LINK_TARGET.sub("]", line)
    return _EMPHASIS.sub("", line)


def _is_person(word: str) -> bool:
    if word in ("he", "she"):
        return True
    return word not in _NOT_NAMES and not _NOUN_SUFFIX.search(word)
