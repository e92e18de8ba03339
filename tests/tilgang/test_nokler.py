from __future__ import annotations

import json
import stat
from pathlib import Path

from shared.tilgang.nokler import (
    JWKS_FIL,
    NOKKEL_FIL,
    data_dir,
    last_eller_lag_nokkel,
    last_jwks,
)


def test_nokkel_lages_ved_forste_bruk_med_privat_filmodus(tmp_path: Path) -> None:
    katalog = tmp_path / "ny" / "data"
    nokkel = last_eller_lag_nokkel(katalog)

    assert stat.S_IMODE((katalog / NOKKEL_FIL).stat().st_mode) == 0o600
    assert nokkel.is_private
    assert nokkel.raw_value.key_size == 2048


def test_jwks_er_offentlig_og_har_kid(tmp_path: Path) -> None:
    nokkel = last_eller_lag_nokkel(tmp_path)
    dokument = json.loads((tmp_path / JWKS_FIL).read_text())

    [jwk] = dokument["keys"]
    assert jwk["kid"] == nokkel.kid == nokkel.thumbprint()
    assert jwk["kty"] == "RSA" and jwk["alg"] == "RS256" and jwk["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)
    assert [k.kid for k in last_jwks(tmp_path / JWKS_FIL)] == [nokkel.kid]


def test_samme_nokkel_ved_ny_lasting(tmp_path: Path) -> None:
    forste = last_eller_lag_nokkel(tmp_path)
    jwks_for = (tmp_path / JWKS_FIL).stat().st_mtime_ns

    andre = last_eller_lag_nokkel(tmp_path)

    assert andre.kid == forste.kid
    assert (tmp_path / JWKS_FIL).stat().st_mtime_ns == jwks_for  # not rewritten


def test_jwks_gjenskapes_om_den_er_slettet(tmp_path: Path) -> None:
    nokkel = last_eller_lag_nokkel(tmp_path)
    (tmp_path / JWKS_FIL).unlink()

    last_eller_lag_nokkel(tmp_path)

    assert [k.kid for k in last_jwks(tmp_path / JWKS_FIL)] == [nokkel.kid]


def test_data_dir_fra_miljo() -> None:
    assert data_dir({}) == Path(".oppgjor")
    assert data_dir({"OPPGJOR_DATA_DIR": "/srv/oppgjor"}) == Path("/srv/oppgjor")
