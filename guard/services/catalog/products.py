"""Products and campaigns configured through the API (versioned rows; they win over the pack's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from guard.core.pack import LEVEL_WITHOUT_ASSESSMENT, PackSet, Product
from guard.core.phones import is_known_region
from guard.core.errors import InvalidField
from guard.services.catalog.script_review import review_approved
from guard.store import catalog as catalog_store
from guard.store.db import Store
from guard.core.messages import said


def put_product(store: Store, packs: PackSet, code: str, data: dict[str, Any], now: datetime, key_id: str | None) -> bool:
    product = Product(code=code, type=data["type"], risk=data["risk"], needs_risk_assessment=data.get("needs_risk_assessment", True))
    if not product.needs_risk_assessment and product.assessment_required:
        raise InvalidField("needs_risk_assessment", said("error.assessment_required", lowest=LEVEL_WITHOUT_ASSESSMENT, risk=product.risk))
    created = catalog_store.put_versioned(store, "product", code, data, now, key_id)
    # A product's new type changes what its campaigns' approved scripts must pass: lint them again now (as the
    # scheduler's script_review job would, a minute later), so an approval they fail stops counting.
    review_approved(store, packs, now)
    return created


def get_product(store: Store, packs: PackSet, code: str, at: datetime) -> dict[str, Any] | None:
    configured = catalog_store.configured_products(store, [code], at).get(code)
    if configured is not None:
        return {**_product_dict(configured), "source": "api"}
    for pack_id in packs.ids():
        pack = packs.at(pack_id, at)
        if pack is not None and code in pack.products:
            return {**_product_dict(pack.products[code]), "source": f"pack:{pack.id}@{pack.version}"}
    return None


def _product_dict(p) -> dict[str, Any]:
    return {"code": p.code, "type": p.type, "risk": p.risk, "needs_risk_assessment": p.needs_risk_assessment, "name": p.name}


def put_campaign(store: Store, packs: PackSet, campaign_id: str, data: dict[str, Any], now: datetime, key_id: str | None) -> bool:
    pack_id = data.get("pack") or packs.default_id
    pack = packs.at(pack_id, now)
    if pack is None:
        raise InvalidField("pack", said("error.pack_not_in_effect", pack=repr(pack_id)))
    configured = catalog_store.configured_products(store, data.get("products", []), now)
    for i, code in enumerate(data.get("products", [])):
        if code not in pack.products and code not in configured:
            raise InvalidField(f"products[{i}]", said("error.product_not_in_pack", code=repr(code), pack=pack_id))
    for country, other in (data.get("packs") or {}).items():
        if not is_known_region(country):
            raise InvalidField(f"packs.{country}", said("error.unknown_region_like", region=repr(country), example="US"))
        handed = packs.at(other, now)
        if handed is None:
            raise InvalidField(f"packs.{country}", said("error.pack_not_in_effect", pack=repr(other)))
        # A number is judged only by a pack whose countries include its region (guard.core.decide): a country handed to
        # a pack that does not cover it (CA to us-tcpa) would deny every call there, a misconfiguration said now.
        covered = handed.countries or {handed.country}
        if country.upper() not in covered:
            raise InvalidField(f"packs.{country}", said("error.pack_does_not_cover", pack=other, country=country.upper(),
                                                        countries=", ".join(sorted(covered))))
    if data.get("packs"):
        data = {**data, "packs": {c.upper(): p for c, p in sorted(data["packs"].items())}}
    created = catalog_store.put_versioned(store, "campaign", campaign_id, data, now, key_id)
    review_approved(store, packs, now)  # the campaign may sell other types now (see put_product)
    return created


def get_campaign(store: Store, packs: PackSet, campaign_id: str, at: datetime) -> dict[str, Any] | None:
    configured = catalog_store.configured_campaign(store, campaign_id, at)
    if configured is not None:
        return {
            "id": campaign_id, "products": list(configured.products), "require_approved_script": configured.require_approved_script,
            "name": configured.name, "pack": configured.pack or packs.default_id, "packs": dict(configured.packs),
            "purposes": list(configured.purposes) if configured.purposes is not None else None, "source": "api",
        }
    pack = packs.campaign_pack(campaign_id, at)
    if pack is None:
        return None
    c = pack.campaigns[campaign_id]
    return {
        "id": c.id, "products": list(c.products), "require_approved_script": c.require_approved_script,
        "name": c.name, "pack": pack.id, "packs": dict(c.packs), "purposes": list(c.purposes) if c.purposes is not None else None,
        "source": f"pack:{pack.id}@{pack.version}",
    }
