"""Build configuration beyond pyproject.toml: marsad's optional C speed-ups.

``marsad._speedups`` (the CRF decoder, the tokenizer's main loop) is compiled when a C compiler
is available; ``optional=True`` lets the install go on without it, and marsad then runs the
Python code each function stands for, with the same results (only slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "marsad._speedups",
            ["src/marsad/_speedups.c", "src/marsad/_speedups_match.c", "src/marsad/_speedups_ner.c",
             "src/marsad/_speedups_events.c", "src/marsad/_speedups_expressions.c",
             "src/marsad/_speedups_claims.c"],
            depends=["src/marsad/_speedups.h", "src/marsad/_speedups_crf.h"],
            optional=True,
        ),
    ],
)
