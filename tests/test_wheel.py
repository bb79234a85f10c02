"""The checklists ship inside the wheel: a fresh venv outside the repo finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_wheel_installs_and_finds_its_checklists(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("safehome-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "safehome/checklists/bone-metastases-home-visit.en.yaml" in names
    assert "safehome/checklists/bone-metastases-self-check.en.yaml" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Install the wheel by unpacking it (no network, no pip in the new venv), and let the
    # new venv see the dependencies installed here, but not this checkout's source.
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    deps = sysconfig.get_paths()["purelib"]
    (site / "deps.pth").write_text(deps + "\n")
    away = tmp_path / "elsewhere"
    away.mkdir()
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import safehome, sys; from safehome.faces.cli import main; print(safehome.__file__); sys.exit(main(['checklist', 'list']))",
        ],
        cwd=away,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    first, rest = out.stdout.split("\n", 1)
    assert first.startswith(str(site)), "safehome was imported from the checkout, not the wheel"
    assert "bone-metastases-home-visit" in rest and "bone-metastases-self-check" in rest
    # French comes compiled with the wheel (no .po, no build step): the app and the commands open in it
    assert "safehome/i18n/locale/fr_CA/LC_MESSAGES/safehome.mo" in names
    assert not [n for n in names if n.endswith((".po", ".pot"))]
    assert "safehome/checklists/bone-metastases-self-check.fr.yaml" in names
    assert "safehome/faces/web/terminal_page/app_index.html" in names
    # the web pages' templates, style sheets and script come with the wheel
    for name in (
        "templates/section.html",
        "templates/handout.html",
        "static/site.css",
        "static/site.js",
        "static/print.css",
    ):
        assert f"safehome/faces/web/{name}" in names, name
    french = subprocess.run(
        [
            str(python),
            "-c",
            "import sys; from safehome.faces.cli import main; "
            "sys.exit(main(['example', '-o', 'ex.json']) or main(['score', 'ex.json']))",
        ],
        cwd=away,
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "fr_CA.UTF-8", "SAFEHOME_DATA_DIR": str(tmp_path / "data")},
    )
    assert french.returncode == 0, french.stderr
    assert "essayez : safehome score ex.json" in french.stdout and "Signes d'alerte" in french.stdout
    assert "13,5 s" in french.stdout
    app = subprocess.run(
        [
            str(python),
            "-c",
            "from safehome.i18n.words import set_language; set_language('fr-CA'); "
            "from safehome.faces.tui.screens.questions import QuestionScreen; "
            "print([b.description for b in QuestionScreen.BINDINGS if getattr(b, 'id', '') == 'q.yes'])",
        ],
        cwd=away,
        capture_output=True,
        text=True,
    )
    assert app.returncode == 0, app.stderr
    assert "['Oui']" in app.stdout
