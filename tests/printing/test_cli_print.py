"""``zhengshou print``: the same maps as the API, written to a file named by its suffix."""

from PIL import Image

from tests.support.cli import run
from tests.support.pdf import compact, page_size_mm, text


def test_print_writes_a_parcel_pdf_and_a_plan_png(database_url, tmp_path):
    pdf = tmp_path / "parcel.pdf"
    done = run(
        database_url,
        "print",
        "JX2022-02",
        "-o",
        str(pdf),
        "--paper",
        "A3",
        "--lang",
        "zh",
        "--orientation",
        "landscape",
    )
    assert done.returncode == 0, done.stderr
    assert str(pdf) in done.stdout
    content = pdf.read_bytes()
    assert "大新弄17号地块" in compact(text(content))
    width, height = page_size_mm(content)
    assert round(width) == 420 and round(height) == 297

    png = tmp_path / "plan.png"
    done = run(database_url, "print", "JX2022", "-o", str(png), "--dpi", "60")
    assert done.returncode == 0, done.stderr
    with Image.open(png) as image:
        assert image.format == "PNG"
        assert abs(image.size[0] - 210 / 25.4 * 60) <= 1


def test_print_refuses_in_plain_words(database_url, tmp_path):
    unknown = run(database_url, "print", "NOPE", "-o", str(tmp_path / "x.pdf"), "--lang", "en")
    assert unknown.returncode != 0
    assert "NOPE is neither a parcel id nor a plan code" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    suffix = run(database_url, "print", "JX2022", "-o", str(tmp_path / "x.svg"), "--lang", "en")
    assert suffix.returncode != 0 and ".pdf or .png" in suffix.stderr
    paper = run(database_url, "print", "JX2022", "-o", str(tmp_path / "x.pdf"), "--paper", "B5")
    assert paper.returncode != 0 and "B5" in paper.stderr
    assert not (tmp_path / "x.pdf").exists()
