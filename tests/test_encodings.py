"""Pages in legacy encodings (issue 21): the declared charset and
charset-normalizer decide, and a page in cp1251, koi8-r, iso-8859-2,
windows-1250 or UTF-16 (LE, BE) gives the same graph as its UTF-8 copy; text
that still reads as mojibake is skipped with the reason. The texts and names
are invented."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from osce_kg import BuildConfig, build
from osce_kg.errors import SourceError
from osce_kg.sources import check_mojibake, decode

RUSSIAN = (
    "Председатель провёл встречу с представителями местных властей в городе Заречинске. "
    '"Мы должны продолжать диалог и укреплять доверие между общинами", - заявил посол Игорь Белозёров. '
    "Он подчеркнул, что наблюдатели миссии будут и дальше следить за обстановкой на границе. "
    "Встреча прошла в конструктивной атмосфере, стороны договорились встретиться снова весной."
)
POLISH = (
    "Przewodniczący spotkał się dziś z przedstawicielami władz lokalnych w mieście Żółtowo. "
    '"Musimy kontynuować dialog i budować zaufanie między społecznościami" - powiedziała ambasador Jadwiga Śliwińska. '
    "Podkreśliła, że obserwatorzy misji będą nadal śledzić sytuację na granicy. "
    "Spotkanie odbyło się w życzliwej atmosferze, a strony zgodziły się spotkać ponownie wiosną."
)
CZECH = (
    "Předseda se dnes setkal se zástupci místních úřadů ve městě Křemenice. "
    '"Musíme pokračovat v dialogu a posilovat důvěru mezi komunitami," řekl velvyslanec Tomáš Dvořák. '
    "Zdůraznil, že pozorovatelé mise budou i nadále sledovat situaci na hranici. "
    "Schůzka proběhla v přátelské atmosféře a strany se dohodly, že se znovu sejdou na jaře."
)
HEADLINES = {"ru": "Председатель посетил Заречинск", "pl": "Przewodniczący odwiedził Żółtowo", "cs": "Předseda navštívil Křemenici"}
TEXTS = {"ru": RUSSIAN, "pl": POLISH, "cs": CZECH}


def html(lang: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f'<html lang="{lang}"><head>{meta}<title>{HEADLINES[lang]}</title></head><body><article>'
        f"<h1>{HEADLINES[lang]}</h1><p>{TEXTS[lang]}</p></article></body></html>"
    )


def graph_of(folder: Path, raw: bytes, out: Path) -> list[str]:
    folder.mkdir(parents=True)
    (folder / "page.html").write_bytes(raw)
    result = build(BuildConfig.of([folder], output=out, jobs=1))
    assert not result.skipped, result.skipped
    return sorted((out / "osce-kg.nq").read_text(encoding="utf-8").splitlines())


#: (language, charset declared in the page or None, the bytes' codec)
VARIANTS = [
    ("ru", "windows-1251", "cp1251"),
    ("ru", "koi8-r", "koi8_r"),
    ("ru", None, "cp1251"),  # undeclared: detected (was read as Windows-1252: mojibake)
    ("ru", None, "koi8_r"),
    ("pl", "iso-8859-2", "iso8859_2"),
    ("cs", "windows-1250", "cp1250"),
    ("pl", None, "cp1250"),
    ("pl", None, "iso8859_2"),
    ("cs", None, "iso8859_2"),
    ("ru", "utf-16", "utf-16-le+bom"),
    ("ru", "utf-16", "utf-16-be+bom"),
    ("pl", None, "utf-16-le"),  # no byte order mark: the zero bytes tell
    ("cs", None, "utf-16-be"),
]


@pytest.mark.parametrize(("lang", "declared", "codec"), VARIANTS, ids=[f"{v[0]}-{v[2]}-{'declared' if v[1] else 'detected'}" for v in VARIANTS])
def test_legacy_encoding_gives_the_utf8_graph(tmp_path: Path, lang: str, declared: str | None, codec: str) -> None:
    text = html(lang, declared)
    reference = graph_of(tmp_path / "utf8", html(lang, "utf-8").encode("utf-8"), tmp_path / "out-utf8")
    if codec.endswith("+bom"):
        name = codec.removesuffix("+bom")
        raw = (codecs.BOM_UTF16_LE if name.endswith("le") else codecs.BOM_UTF16_BE) + text.encode(name)
    else:
        raw = text.encode(codec)
    # the declared charset is in the page itself: compare with the UTF-8 copy declaring utf-8
    reference_text = html(lang, "utf-8")
    if declared is None or declared == "utf-16":
        reference = graph_of(tmp_path / "utf8-same", text.encode("utf-8"), tmp_path / "out-utf8-same") if reference_text != text else reference
    assert graph_of(tmp_path / codec, raw, tmp_path / f"out-{codec}") == reference
    assert any(HEADLINES[lang] in line for line in reference)


def test_cyrillic_read_as_windows_1252_is_skipped_with_the_reason(tmp_path: Path) -> None:
    """The cp1251 page once decoded as Windows-1252 ("Ìû äîëæíû...") and
    saved as UTF-8 is mojibake: skipped with the reason, never exported."""
    garbled = RUSSIAN.encode("cp1251").decode("cp1252")
    with pytest.raises(SourceError, match="mojibake.*Cyrillic"):
        check_mojibake(garbled, tmp_path / "p.txt")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page.html").write_text(f"<html><body><h1>Visit</h1><p>{garbled}</p></body></html>", encoding="utf-8")
    result = build(BuildConfig.of([folder], output=tmp_path / "out", jobs=1))
    [skipped] = result.skipped
    assert "mojibake" in skipped.reason


def test_utf8_read_as_windows_1251_is_skipped_with_the_reason(tmp_path: Path) -> None:
    garbled = RUSSIAN.encode("utf-8").decode("cp1251", errors="replace")
    with pytest.raises(SourceError, match="UTF-8 once decoded as Windows-1251"):
        check_mojibake(garbled, tmp_path / "p.txt")


@pytest.mark.parametrize("text", [RUSSIAN, POLISH, CZECH, "Le président a rencontré les élus à Genève. Ça s'est bien passé, dit-il."])
def test_clean_text_is_not_mojibake(tmp_path: Path, text: str) -> None:
    check_mojibake(text, tmp_path / "p.txt")


def test_served_charset_comes_before_the_page(tmp_path: Path) -> None:
    """The HTTP Content-Type's charset decides over <meta charset>, as in browsers."""
    raw = html("ru", "windows-1252").encode("koi8_r")
    assert RUSSIAN in decode(raw, tmp_path / "p.html", "text/html", "text/html; charset=KOI8-R")
