"""Field accuracy of notice reading on the corpus, as Markdown tables for the README.

    /work/main/.venv/bin/python bench/notice_accuracy.py [CORPUS_DIR] [--differences]

The corpus is tests/fixtures/notices/corpus unless a directory is given: notices written in the
style of real ones, each with its answers read by hand (``<name>.expected.json``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.notices.corpus import differences, markdown, score_corpus

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "notices" / "corpus"


def main(argv: list[str]) -> None:
    """Print the tables (and, with --differences, every field that differed)."""
    paths = [arg for arg in argv if not arg.startswith("--")]
    scores = score_corpus(Path(paths[0]) if paths else CORPUS)
    print(markdown(scores))
    if "--differences" in argv:
        print()
        print(differences(scores))


if __name__ == "__main__":
    main(sys.argv[1:])
