"""Issuing while a batch is in flight: the issued document equals the settlement as known
at its own `per`, forever after. (Without the log's write lock the issuer could take an
instant after the batch's recorded time but before its commit, and miss it.)"""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.system.bootstrap import Tjenester
from services.vedtak.application.mottak import Mottak
from tests.conftest import Token
from tests.hendelser import fattet
from tests.settlement.scenario import Aktorer


def test_utstedelse_venter_pa_batch_underveis(
    klient: TestClient, auth: Token, tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Aktorer(klient, auth)
    a.satser(2017)
    a.grunnlag()
    a.send(fattet("V1"))

    ekte = Mottak._skill_ut
    har_tidspunkt = threading.Event()

    def treg(self: Mottak, *args: Any) -> Any:
        # The batch holds its recorded instant and its lock; make it slow to commit.
        har_tidspunkt.set()
        time.sleep(0.5)
        return ekte(self, *args)

    monkeypatch.setattr(Mottak, "_skill_ut", treg)
    batch = threading.Thread(target=tjenester.mottak.motta, args=([fattet("V2")], None))
    batch.start()
    assert har_tidspunkt.wait(10)
    dokument = tjenester.oppgjor.utsted("0138", 2017, 1)
    batch.join()

    senere = a.oppgjor(per=dokument["per"])
    assert senere["vedtakstilskudd"] == dokument["vedtakstilskudd"]
    # The batch was recorded before the instant, so the document includes it.
    assert Decimal(dokument["vedtakstilskudd"]) == 2 * Decimal("69814.29")
