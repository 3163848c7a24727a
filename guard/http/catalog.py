"""PUT/GET /v1/products/{code} and /v1/campaigns/{campaign_id}: configuration beside the packs."""

from __future__ import annotations

from flask import Blueprint

from guard.http.api import endpoint
from guard.http.common import answer, not_found, runtime
from guard.http.schemas import CampaignIn, CampaignOut, ProductIn, ProductOut
from guard.services.catalog import products as service
from guard.services.ops.keys import Principal

bp = Blueprint("catalog", __name__)


@endpoint(bp, "PUT", "/v1/products/{code}", summary="Configure a product (wins over a pack product of the same code)",
          roles=("operator",), body=ProductIn, response=ProductOut, also=(201,))
def put_product(code: str, body: ProductIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    created = service.put_product(rt.store, rt.packs(), code, body.model_dump(exclude_none=True), now, principal.actor)
    return answer(service.get_product(rt.store, rt.packs(), code, now), 201 if created else 200)


@endpoint(bp, "GET", "/v1/products/{code}", summary="A product as the checks see it (API first, then packs)",
          roles=("operator", "dialer", "auditor"), response=ProductOut, extra_responses={404: "no such product"})
def get_product(code: str, principal: Principal):
    rt = runtime()
    product = service.get_product(rt.store, rt.packs(), code, rt.clock())
    if product is None:
        raise not_found("product", code)
    return answer(product)


@endpoint(bp, "PUT", "/v1/campaigns/{campaign_id}", summary="Configure a campaign (wins over a pack campaign of the same id)",
          roles=("operator",), body=CampaignIn, response=CampaignOut, also=(201,))
def put_campaign(campaign_id: str, body: CampaignIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    created = service.put_campaign(rt.store, rt.packs(), campaign_id, body.model_dump(exclude_none=True), now, principal.actor)
    return answer(service.get_campaign(rt.store, rt.packs(), campaign_id, now), 201 if created else 200)


@endpoint(bp, "GET", "/v1/campaigns/{campaign_id}", summary="A campaign as the checks see it (API first, then packs)",
          roles=("operator", "dialer", "auditor", "reviewer"), response=CampaignOut, extra_responses={404: "no such campaign"})
def get_campaign(campaign_id: str, principal: Principal):
    rt = runtime()
    campaign = service.get_campaign(rt.store, rt.packs(), campaign_id, rt.clock())
    if campaign is None:
        raise not_found("campaign", campaign_id)
    return answer(campaign)
