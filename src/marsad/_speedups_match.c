/*
 * marsad._speedups, part: the words view and the knowledge matchers (places, actors).
 *
 * Each function stands for Python code that stays in marsad and gives the same results (see
 * marsad/_native.py); tests compare the two.
 *
 * - token_columns: the parallel lists of marsad.expressions.scan.words_of (token starts, ends and
 *   kinds, and whether any token is of a given kind), in one pass over the token spans instead of
 *   three passes of map(itemgetter) and a search of the kinds.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

PyDoc_STRVAR(token_columns_doc,
"token_columns(spans, kind) -> (starts, ends, kinds, has_kind)\n\n"
"The columns of a list of (start, end, kind) tuples, and whether ``kind`` is among the kinds:\n"
"(list(map(itemgetter(0), spans)), list(map(itemgetter(1), spans)),\n"
" list(map(itemgetter(2), spans)), kind in kinds).");

static PyObject *
token_columns(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *spans, *wanted, *starts = NULL, *ends = NULL, *kinds = NULL;
    Py_ssize_t n, i;
    int has_kind = 0;

    if (!PyArg_ParseTuple(args, "O!U:token_columns", &PyList_Type, &spans, &wanted)) {
        return NULL;
    }
    n = PyList_GET_SIZE(spans);
    if ((starts = PyList_New(n)) == NULL || (ends = PyList_New(n)) == NULL || (kinds = PyList_New(n)) == NULL) {
        goto fail;
    }
    for (i = 0; i < n; ++i) {
        PyObject *span = PyList_GET_ITEM(spans, i), *kind;
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 3) {
            PyErr_SetString(PyExc_TypeError, "token spans must be (start, end, kind) tuples");
            goto fail;
        }
        kind = PyTuple_GET_ITEM(span, 2);
        Py_INCREF(PyTuple_GET_ITEM(span, 0));
        PyList_SET_ITEM(starts, i, PyTuple_GET_ITEM(span, 0));
        Py_INCREF(PyTuple_GET_ITEM(span, 1));
        PyList_SET_ITEM(ends, i, PyTuple_GET_ITEM(span, 1));
        Py_INCREF(kind);
        PyList_SET_ITEM(kinds, i, kind);
        if (!has_kind) {
            /* as "kind in kinds": identity first (kinds are interned), then equality */
            int same = kind == wanted ? 1 : PyObject_RichCompareBool(kind, wanted, Py_EQ);
            if (same < 0) {
                goto fail;
            }
            has_kind = same;
        }
    }
    return Py_BuildValue("(NNNO)", starts, ends, kinds, has_kind ? Py_True : Py_False);

fail:
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(kinds);
    return NULL;
}

PyMethodDef marsad_match_methods[] = {
    {"token_columns", token_columns, METH_VARARGS, token_columns_doc},
    {NULL, NULL, 0, NULL},
};
