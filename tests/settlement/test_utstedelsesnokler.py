"""The issuing key lives outside the database; rotating it keeps old versions verifiable."""

from __future__ import annotations

import os
from pathlib import Path

from joserfc.jwk import ECKey

from services.settlement.adapters.utstedelsesnokler import JWKS_FIL, last
from services.settlement.application.korreksjon import HASH_JCS, dokumenthash
from services.settlement.application.signering import signaturfeil, signer


def dokument(versjon: int) -> dict[str, object]:
    d: dict[str, object] = {
        "kommunenummer": "0138",
        "aar": 2017,
        "kvartal": 1,
        "versjon": versjon,
        "sum": "1.00",
        "vedtak_id": "Bø",
        "hash_algoritme": HASH_JCS,
    }
    d["hash"] = dokumenthash(d)
    return d


def test_nokkel_i_datakatalogen_og_rotasjon(tmp_path: Path) -> None:
    katalog = tmp_path / "data"
    gammel = last(katalog, {})
    assert (katalog / "utstedelsesnokkel.pem").stat().st_mode & 0o777 == 0o600
    assert last(katalog, {}).kid == gammel.kid  # the same key on the next start
    d1 = dokument(1)
    d1["signatur"] = signer(d1, gammel)

    # Production names its own key; the retired one stays published.
    ny_fil = tmp_path / "ny.pem"
    ny_fil.write_bytes(ECKey.generate_key("P-256", private=True).as_pem(private=True))
    os.chmod(ny_fil, 0o600)
    ny = last(katalog, {"OPPGJOR_UTSTEDELSESNOKKEL": str(ny_fil)})
    assert ny.kid != gammel.kid
    assert sorted(k["kid"] for k in ny.jwks()["keys"]) == sorted([ny.kid, gammel.kid])
    assert all("d" not in k for k in ny.jwks()["keys"])  # public halves only
    d2 = dokument(2)
    d2["signatur"] = signer(d2, ny)
    assert signaturfeil(d1, ny.nokkelsett()) is None
    assert signaturfeil(d2, ny.nokkelsett()) is None
    assert (katalog / JWKS_FIL).exists()

    # A replica with a fresh data directory learns the retired key from a file.
    annen = last(
        tmp_path / "annen",
        {
            "OPPGJOR_UTSTEDELSESNOKKEL": str(ny_fil),
            "OPPGJOR_UTSTEDELSESNOKLER": str(katalog / JWKS_FIL),
        },
    )
    assert signaturfeil(d1, annen.nokkelsett()) is None
    # Without it, the old signature cannot be checked.
    ukjent = last(tmp_path / "tredje", {"OPPGJOR_UTSTEDELSESNOKKEL": str(ny_fil)})
    assert signaturfeil(d1, ukjent.nokkelsett()) is not None
