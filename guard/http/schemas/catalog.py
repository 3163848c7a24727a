"""Products and campaigns configured through the API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from guard.http.schemas.types import CampaignId, ProductLevel, ProductType, Purpose, Region, Strict


class ProductIn(Strict):
    type: ProductType
    risk: ProductLevel
    needs_risk_assessment: bool = True
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class ProductOut(BaseModel):
    code: str
    type: str
    risk: str
    needs_risk_assessment: bool
    name: str | None
    source: str = Field(description="`api` or `pack:<id>@<version>`")


class CampaignIn(Strict):
    products: Annotated[list[CampaignId], Field(max_length=100)] = []
    require_approved_script: bool = False
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    pack: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    packs: Annotated[dict[Region, Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=50)] | None = Field(
        None, description="numbers of these countries are governed by another pack, e.g. {\"US\": \"us-tcpa\"}")
    purposes: Annotated[list[Purpose], Field(min_length=1, max_length=5)] | None = Field(
        None, description="the purposes its calls may have (marketing, service); a call claiming another is judged as "
                          "marketing. Default: any")


class CampaignOut(BaseModel):
    id: str
    products: list[str]
    require_approved_script: bool
    name: str | None
    pack: str
    packs: dict[str, str] = Field(default_factory=dict, description="countries whose numbers another pack governs")
    purposes: list[str] | None = Field(None, description="the purposes its calls may have; null: any")
    source: str
