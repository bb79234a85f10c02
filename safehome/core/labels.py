"""The words for the result's levels and the referrals: the one place a level becomes a label."""

from __future__ import annotations

from safehome.i18n.words import t

REFERRAL_NAMES = {
    "physiotherapy": "referral.physiotherapy",
    "occupational_therapy": "referral.occupational_therapy",
    "treating_team": "referral.treating_team",
    "pharmacist": "referral.pharmacist",
    "family_doctor": "referral.family_doctor",
    "home_care": "referral.home_care",
}


def urgency_label(level: str) -> str:
    return t(f"urgency.{level}")


def fall_risk_label(level: str) -> str:
    return t(f"fall_risk.{level}")


def hazard_label(level: str) -> str:
    return t(f"hazards.{level}")


def referral_name(key: str) -> str:
    return t(REFERRAL_NAMES[key])


def disclaimer() -> str:
    return t("band.disclaimer")
