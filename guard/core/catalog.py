"""Campaign -> pack -> products: which rules and which products govern a call.

One resolution for every caller (check, scrub, audit, scripts): a campaign configured through
the API (`PUT /v1/campaigns/{id}`) wins over a pack's campaign of the same id and names the pack
that governs it (default: the default pack); otherwise the pack in effect that lists the campaign
governs it (the default pack first); an unknown campaign is judged by the default pack and denied
`UNKNOWN_CAMPAIGN`. Products come from the governing pack, overlaid by API-configured products of
the same code. A campaign may hand the numbers of some countries to another pack (`packs: {US:
us-tcpa}`): a number's country then picks its pack, and a number of a country that its pack does not
cover is denied OUT_OF_JURISDICTION (guard.core.decide).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from guard.core.errors import GuardError
from guard.core.history import CatalogFacts, History
from guard.core.pack import Campaign, Pack, PackSet, Product
from guard.core.i18n import LANGS
from guard.core.messages import L, said


class NoPolicy(GuardError):
    """No pack version is in effect for the call: the guard cannot decide (fail closed)."""

    code = "NO_POLICY"


class InstantNotCovered(GuardError):
    """A request about an instant the client chose (a dry run's `at`, a complaint's `received_at`)
    that no pack version covers: the client's mistake (422 naming the field and the covered range),
    not the guard's inability to decide now (SPEC §7)."""

    code = "INSTANT_NOT_COVERED"

    def __init__(self, field: str, at: datetime, packs: "PackSet"):
        covered = {pid: min(p.effective_from for p in packs.timelines[pid].versions).isoformat()
                   for pid in packs.ids() if packs.timelines[pid].versions}
        ranges = [said("error.pack_covers_from", pack=pid, start=start) for pid, start in covered.items()]
        super().__init__(said("error.instant_not_covered", field=field, at=at.isoformat(),
                              ranges=L({lang: (", " if lang == "en" else "；").join(r.messages[lang] for r in ranges) for lang in LANGS})),
                         [{"field": field, "reason": "no pack version covers this instant", "covered_from": covered}])
        self.field = field


def client_instant_not_covered(packs: "PackSet", field: str, at: datetime) -> InstantNotCovered | None:
    """The 422 for an instant a client chose that no pack covers, or None when no pack has any
    version at all (then nothing can decide anything: NO_POLICY stands)."""
    if not packs.all_versions():
        return None
    if any(t.refused and t.refused_at(at) is not None for t in packs.timelines.values()):
        return None  # a version written for that instant was refused: the guard cannot decide, NO_POLICY stands
    return InstantNotCovered(field, at, packs)


@dataclass(frozen=True)
class Resolution:
    pack: Pack
    catalog: CatalogFacts

    @property
    def campaign(self) -> Campaign | None:
        return self.catalog.campaign

    @property
    def products(self) -> dict[str, Product]:
        return self.catalog.products


def governing_pack(packs: PackSet, campaign_id: str, at: datetime, configured: Campaign | None,
                   number_country: str | None = None) -> tuple[Pack, Campaign | None]:
    """The pack in effect at `at` that governs the campaign (for a number of `number_country`: the
    pack the campaign hands that country to, if it does), and the campaign (None: unknown)."""
    pack, campaign = _campaign_pack(packs, campaign_id, at, configured)
    other = campaign.pack_for_country(number_country) if campaign is not None else None
    if other is not None and other != pack.id:
        mapped = packs.at(other, at)
        if mapped is None:
            raise NoPolicy(said("error.mapped_pack_no_version_at", pack=repr(other), campaign=campaign_id, country=number_country,
                                at=at.isoformat()))
        return mapped, campaign
    return pack, campaign


def _campaign_pack(packs: PackSet, campaign_id: str, at: datetime, configured: Campaign | None) -> tuple[Pack, Campaign | None]:
    if configured is not None:
        pack_id = configured.pack or packs.default_id
        pack = packs.at(pack_id, at)
        if pack is None:
            raise NoPolicy(said("error.pack_no_version_at", pack=repr(pack_id), at=at.isoformat()))
        return pack, configured
    pack = packs.campaign_pack(campaign_id, at)
    if pack is not None:
        return pack, pack.campaigns[campaign_id]
    for pack_id, timeline in sorted(packs.timelines.items()):
        gap = timeline.refused_at(at) if timeline.refused else None
        prior = timeline.before(gap[0]) if gap is not None else None
        if prior is not None and campaign_id in prior.campaigns:
            # The version that would judge the call was refused: neither the one before it nor another pack may
            # judge in its place (the campaign would pass for unknown, or be judged by superseded rules).
            raise NoPolicy(said("error.pack_version_refused_at", pack=repr(pack_id), start=gap[0].isoformat(), source=gap[1]))
    pack = packs.at(packs.default_id, at)
    if pack is None:
        raise NoPolicy(said("error.default_pack_no_version_at", pack=repr(packs.default_id), at=at.isoformat()))
    return pack, None


def product_codes(campaign: Campaign | None, requested: str | None) -> list[str]:
    """The products a call may be about: the campaign's, and the one the request names."""
    codes = set(campaign.products if campaign else ())
    if requested:
        codes.add(requested)
    return sorted(codes)


def products_of(pack: Pack, codes: list[str], configured: Mapping[str, Product]) -> dict[str, Product]:
    """The pack's products of these codes, overlaid by API-configured ones (which win)."""
    out = {c: pack.products[c] for c in codes if c in pack.products}
    out.update((c, configured[c]) for c in codes if c in configured)
    return out


def resolve(packs: PackSet, history: History, campaign_id: str, product: str | None, at: datetime,
            as_of: datetime | None, number_country: str | None = None) -> Resolution:
    """Everything the catalog says about a call at `at`, from the configuration held at `as_of`
    (for a number of `number_country`, when the campaign hands that country to another pack)."""
    pack, campaign = governing_pack(packs, campaign_id, at, history.configured_campaign(campaign_id, as_of), number_country)
    codes = product_codes(campaign, product)
    configured = {c: p for c in codes if (p := history.configured_product(c, as_of)) is not None}
    script = bool(campaign and campaign.require_approved_script and history.script_approved(campaign.id, as_of))
    return Resolution(pack, CatalogFacts(campaign, products_of(pack, codes, configured), script))
