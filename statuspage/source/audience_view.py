"""An audience's view of the site: the one place where audiences are told apart.

`view(site, audience)` is the Site with everything *audience* may not see removed
(components, groups, incidents, single updates, postmortems of removed incidents, other
audiences' endpoints and settings), its own settings applied to the Config. Every output
is made from that Site by the unchanged build, so no output knows audiences exist and
none can show what its Site does not hold. A site without `audiences:` is its own public
view, the very same object: its outputs are byte for byte what they were.

A status is what the updates an audience sees say: an internal-only update's
`Components:` changes are not part of the public view, so the public page shows each
component as the last update it sees left it (docs/how-to/audiences.md says why)."""

from __future__ import annotations

from dataclasses import replace

from statuspage.model import Config, Group, Incident, Site, Upstream
from statuspage.source.audiences import known_audience, sees, trust_order
from statuspage.source.incident_components import impact_of


def view(site: Site, audience: str) -> Site:
    """*site* as *audience* may see it (UsageError for an audience it does not have)."""
    config = view_config(site.config, audience)
    if config is site.config:
        return site
    order = trust_order(site.config)
    visible = {c.id for c in config.components}
    incidents = tuple(
        seen
        for i in site.incidents
        if sees(order, audience, i.audience)
        and (seen := _incident(i, order, audience, visible)) is not None
    )
    # A postmortem follows its incident's resolution: only where the audience saw it resolved.
    kept = {i.id for i in incidents if any(u.status.is_final for u in i.updates)}
    sources = {s.id: s for s in config.upstream}  # each with only the `affects:` it sees
    return replace(
        site,
        config=config,
        incidents=incidents,
        warnings=(),
        postmortems={k: p for k, p in site.postmortems.items() if k in kept},
        upstream=tuple(Upstream(sources[u.source.id], u.report) for u in site.upstream),
    )


def view_config(config: Config, audience: str) -> Config:
    """*config* as *audience*'s site has it: what it may see, and its own settings."""
    order = trust_order(config)
    known_audience(config, audience)
    if len(order) == 1:
        return config
    own = next((a for a in config.audiences if a.name == audience), None)
    components = tuple(c for c in config.components if sees(order, audience, c.audience))
    visible = {c.id for c in components}
    seen = replace(
        config,
        components=components,
        groups=_groups(config.groups, order, audience, visible),
        upstream=tuple(
            replace(s, affects=tuple(a for a in s.affects if a in visible)) for s in config.upstream
        ),
        alerts=None,  # its rules name every component; no output shows them
        audiences=(),
        audience=audience,
    )
    if own is None:  # public: the top level's settings and endpoints
        return seen
    return replace(
        seen,
        base_url=own.base_url,
        title=own.title,
        description=own.description or config.description,
        language=own.language or config.language,
        languages=() if own.language else config.languages,
        brand_color=own.brand_color or config.brand_color,
        cname=None,  # the custom domain is the public page's
        pages_extra=None,
        notify=own.notify,
        # Defence in depth for a page meant to be private: should its host ever serve it
        # to anyone, search engines are still asked not to list it, unless it says so.
        search_engines=own.search_engines is True,
    )


def _groups(
    groups: tuple[Group, ...], order: tuple[str, ...], audience: str, visible: set[str]
) -> tuple[Group, ...]:
    """The groups *audience* sees, each with only the members it sees (none empty)."""
    found = []
    for g in groups:
        members = tuple(c for c in g.components if c in visible)
        if members and sees(order, audience, g.audience):
            found.append(replace(g, components=members))
    return tuple(found)


def _incident(
    incident: Incident, order: tuple[str, ...], audience: str, visible: set[str]
) -> Incident | None:
    """*incident* with only the updates and status changes *audience* sees; None when it
    sees none of its updates (an incident shows through its updates)."""
    updates = tuple(
        replace(u, components=tuple(c for c in u.components if c[0] in visible))
        for u in incident.updates
        if sees(order, audience, u.audience)
    )
    if not updates:
        return None
    components = tuple(c for c in incident.components if c[0] in visible)
    if updates == incident.updates and components == incident.components:
        return incident
    impact = incident.impact
    if not incident.impact_written and not incident.is_maintenance:
        impact = impact_of([*components, *(c for u in updates for c in u.components)])
    return replace(incident, updates=updates, components=components, impact=impact)
