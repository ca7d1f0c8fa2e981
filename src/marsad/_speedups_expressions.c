/*
 * marsad._speedups, part: the expression matchers (numbers, dates).
 *
 * Each function stands for Python code that stays in marsad and gives the same results (see
 * marsad/_native.py); tests compare the two.
 *
 * - select_positions: Words.select (marsad.expressions.scan), the few hits of the shared pass over
 *   a document's words that are in one of a matcher's smaller sets.
 * - preceding: Words.preceding, the words of a set found a few words before given positions (the
 *   frequent words that only introduce a number or a date, looked for back from what follows them).
 * - any_in: not wanted.isdisjoint(items[start:stop]) without the slice (the look-ahead and
 *   look-back gates of the matchers, asked at most candidates).
 * - kind_positions: Words._kind_positions, the indices of the tokens of one kind (digits, hashtags).
 * - positions_hashed: marsad._native.positions over a large set, with a bitmap of its items' hashes
 *   built once per set (Words.indices): most words of a text are in no vocabulary, and one bit
 *   says so without a probe of the set's table.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

/* items[i] is in wanted: 1, 0, or -1 with an exception set. */
static int
item_in(PyObject *seq, Py_ssize_t i, PyObject *wanted, int is_set)
{
    PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
    return is_set ? PySet_Contains(wanted, item) : PySequence_Contains(wanted, item);
}

/* Append the int i to out: 0, or -1 with an exception set. */
static int
append_index(PyObject *out, Py_ssize_t i)
{
    PyObject *index = PyLong_FromSsize_t(i);
    int failed;

    if (index == NULL) {
        return -1;
    }
    failed = PyList_Append(out, index);
    Py_DECREF(index);
    return failed;
}

PyDoc_STRVAR(select_positions_doc,
"select_positions(items, indices, wanted) -> list\n\n"
"[i for i in indices if items[i] in wanted] (marsad.expressions.scan.Words.select), for indices\n"
"0 <= i < len(items).");

static PyObject *
select_positions(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items, *indices, *wanted, *out = NULL;
    Py_ssize_t k, m, n;
    int is_set;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "select_positions(items, indices, wanted) takes 3 arguments");
        return NULL;
    }
    wanted = args[2];
    items = PySequence_Fast(args[0], "select_positions: items must be a sequence");
    if (items == NULL) {
        return NULL;
    }
    indices = PySequence_Fast(args[1], "select_positions: indices must be a sequence");
    if (indices == NULL) {
        Py_DECREF(items);
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL) {
        goto fail;
    }
    is_set = PyAnySet_Check(wanted);
    n = PySequence_Fast_GET_SIZE(items);
    m = PySequence_Fast_GET_SIZE(indices);
    for (k = 0; k < m; ++k) {
        PyObject *index = PySequence_Fast_GET_ITEM(indices, k);
        Py_ssize_t i = PyLong_AsSsize_t(index);
        int found;

        if (i == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (i < 0 || i >= n) {
            PyErr_SetString(PyExc_IndexError, "select_positions: index out of range");
            goto fail;
        }
        found = item_in(items, i, wanted, is_set);
        if (found < 0 || (found && PyList_Append(out, index) < 0)) {
            goto fail;
        }
    }
    Py_DECREF(items);
    Py_DECREF(indices);
    return out;
fail:
    Py_DECREF(items);
    Py_DECREF(indices);
    Py_XDECREF(out);
    return NULL;
}

PyDoc_STRVAR(preceding_doc,
"preceding(items, targets, leads, reach) -> list\n\n"
"marsad.expressions.scan.Words.preceding: the indices of the items in ``leads`` at most ``reach``\n"
"items before one of ``targets``, target by target, each target's in order (an index may come twice).\n"
"Targets are indices of items (0 <= t <= len(items)).");

static PyObject *
preceding(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items, *targets, *leads, *out = NULL;
    Py_ssize_t k, m, n, reach;
    int is_set;

    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "preceding(items, targets, leads, reach) takes 4 arguments");
        return NULL;
    }
    leads = args[2];
    reach = PyLong_AsSsize_t(args[3]);
    if (reach == -1 && PyErr_Occurred()) {
        return NULL;
    }
    items = PySequence_Fast(args[0], "preceding: items must be a sequence");
    if (items == NULL) {
        return NULL;
    }
    targets = PySequence_Fast(args[1], "preceding: targets must be a sequence");
    if (targets == NULL) {
        Py_DECREF(items);
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL) {
        goto fail;
    }
    is_set = PyAnySet_Check(leads);
    n = PySequence_Fast_GET_SIZE(items);
    m = PySequence_Fast_GET_SIZE(targets);
    for (k = 0; k < m; ++k) {
        Py_ssize_t t = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(targets, k));
        Py_ssize_t lo, j;

        if (t == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (t < 0 || t > n) {
            PyErr_SetString(PyExc_IndexError, "preceding: target out of range");
            goto fail;
        }
        lo = t > reach ? t - reach : 0;
        for (j = lo; j < t; ++j) {
            int found = item_in(items, j, leads, is_set);
            if (found < 0 || (found && append_index(out, j) < 0)) {
                goto fail;
            }
        }
    }
    Py_DECREF(items);
    Py_DECREF(targets);
    return out;
fail:
    Py_DECREF(items);
    Py_DECREF(targets);
    Py_XDECREF(out);
    return NULL;
}

PyDoc_STRVAR(kind_positions_doc,
"kind_positions(kinds, kind) -> list\n\n"
"[i for i, k in enumerate(kinds) if k == kind] for a list of str (marsad.expressions.scan.Words\n"
"._kind_positions): the same kind string is usually the same object, and strings of another\n"
"length are told apart without comparing them.");

static PyObject *
kind_positions(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *kinds, *kind, *out;
    Py_ssize_t i, n, length;

    if (nargs != 2 || !PyList_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "kind_positions(kinds: list, kind: str)");
        return NULL;
    }
    kinds = args[0];
    kind = args[1];
    length = PyUnicode_GET_LENGTH(kind);
    out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    n = PyList_GET_SIZE(kinds);
    for (i = 0; i < n; ++i) {
        PyObject *item = PyList_GET_ITEM(kinds, i);
        int equal;

        if (item == kind) {
            equal = 1;
        }
        else if (PyUnicode_CheckExact(item) && PyUnicode_GET_LENGTH(item) != length) {
            equal = 0;
        }
        else {
            equal = PyObject_RichCompareBool(item, kind, Py_EQ);
            if (equal < 0) {
                Py_DECREF(out);
                return NULL;
            }
        }
        if (equal && append_index(out, i) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

PyDoc_STRVAR(positions_hashed_doc,
"positions_hashed(items, wanted, bitmap) -> list\n\n"
"positions(items, wanted): [i for i, item in enumerate(items) if item in wanted], for a set\n"
"``wanted`` and the bytes ``bitmap`` (a power of two long) in which bit hash(x) % (8 * len(bitmap))\n"
"is set for every x in wanted: an item whose bit is clear is not in the set.");

static PyObject *
positions_hashed(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items, *wanted, *seq, *out;
    const unsigned char *bits;
    Py_ssize_t i, n, nbytes;
    size_t mask;

    if (nargs != 3 || !PyAnySet_Check(args[1]) || !PyBytes_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "positions_hashed(items, wanted: set, bitmap: bytes)");
        return NULL;
    }
    items = args[0];
    wanted = args[1];
    nbytes = PyBytes_GET_SIZE(args[2]);
    if (nbytes == 0 || (nbytes & (nbytes - 1)) != 0) {
        PyErr_SetString(PyExc_ValueError, "positions_hashed: the bitmap's length must be a power of two");
        return NULL;
    }
    bits = (const unsigned char *)PyBytes_AS_STRING(args[2]);
    mask = (size_t)nbytes * 8 - 1;
    seq = PySequence_Fast(items, "positions_hashed: items must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    n = PySequence_Fast_GET_SIZE(seq);
    for (i = 0; i < n; ++i) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        Py_hash_t hash = PyObject_Hash(item);
        size_t bit;
        int found;

        if (hash == -1) {
            goto fail;
        }
        bit = (size_t)hash & mask;
        if (!(bits[bit >> 3] & (1u << (bit & 7)))) {
            continue;  /* most words */
        }
        found = PySet_Contains(wanted, item);
        if (found < 0 || (found && append_index(out, i) < 0)) {
            goto fail;
        }
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(any_in_doc,
"any_in(items, start, stop, wanted) -> bool\n\n"
"not wanted.isdisjoint(items[start:stop]) for a sequence ``items`` and 0 <= start (stop past\n"
"the end reads to the end), without making the slice.");

static PyObject *
any_in(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items, *wanted;
    Py_ssize_t start, stop, i, n;
    int is_set;

    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "any_in(items, start, stop, wanted) takes 4 arguments");
        return NULL;
    }
    wanted = args[3];
    start = PyLong_AsSsize_t(args[1]);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    stop = PyLong_AsSsize_t(args[2]);
    if (stop == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (start < 0 || stop < 0) {
        PyErr_SetString(PyExc_ValueError, "any_in: start and stop must not be negative");
        return NULL;
    }
    items = PySequence_Fast(args[0], "any_in: items must be a sequence");  /* a list or tuple as it is */
    if (items == NULL) {
        return NULL;
    }
    is_set = PyAnySet_Check(wanted);
    n = PySequence_Fast_GET_SIZE(items);
    for (i = start; i < stop && i < n; ++i) {
        int found = item_in(items, i, wanted, is_set);
        if (found != 0) {
            Py_DECREF(items);
            if (found < 0) {
                return NULL;
            }
            Py_RETURN_TRUE;
        }
    }
    Py_DECREF(items);
    Py_RETURN_FALSE;
}

PyMethodDef marsad_expressions_methods[] = {
    {"any_in", (PyCFunction)(void (*)(void))any_in, METH_FASTCALL, any_in_doc},
    {"positions_hashed", (PyCFunction)(void (*)(void))positions_hashed, METH_FASTCALL, positions_hashed_doc},
    {"kind_positions", (PyCFunction)(void (*)(void))kind_positions, METH_FASTCALL, kind_positions_doc},
    {"select_positions", (PyCFunction)(void (*)(void))select_positions, METH_FASTCALL, select_positions_doc},
    {"preceding", (PyCFunction)(void (*)(void))preceding, METH_FASTCALL, preceding_doc},
    {NULL, NULL, 0, NULL},
};
