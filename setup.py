"""Build configuration beyond pyproject.toml: marsad's one optional C speed-up.

``marsad.ner._crfdecode`` (CRF Viterbi and marginals) is compiled when a C compiler is available;
``optional=True`` lets the install go on without it, and marsad then decodes with
python-crfsuite instead, with the same results (only slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("marsad.ner._crfdecode", ["src/marsad/ner/_crfdecode.c"], optional=True),
    ],
)
