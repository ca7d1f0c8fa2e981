/*
 * marsad._speedups, part: the event and claim grammars.
 *
 * Each function stands for Python code that stays in marsad and gives the same results (see
 * marsad/_native.py); tests compare the two.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

PyDoc_STRVAR(cue_positions_doc,
"cue_positions(bares, firsts, start) -> dict\n\n"
"marsad.events.events.cue_positions: cue set -> indices (plus ``start``) of the words of ``bares``\n"
"that start one of its phrases, in order. ``firsts`` maps a bare word to the tuple of the cue sets\n"
"with a phrase that starts with it. One pass over a sentence's words for all its cue tests.");

static PyObject *
cue_positions(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *bares, *firsts, *out;
    Py_ssize_t start, k, n;

    if (!PyArg_ParseTuple(args, "O!O!n:cue_positions", &PyList_Type, &bares, &PyDict_Type, &firsts, &start)) {
        return NULL;
    }
    out = PyDict_New();
    if (out == NULL) {
        return NULL;
    }
    n = PyList_GET_SIZE(bares);
    for (k = 0; k < n; ++k) {
        PyObject *names = PyDict_GetItemWithError(firsts, PyList_GET_ITEM(bares, k));  /* borrowed */
        PyObject *index;
        Py_ssize_t j, m;

        if (names == NULL) {
            if (PyErr_Occurred()) {
                goto fail;
            }
            continue;  /* most words start no cue */
        }
        if (!PyTuple_Check(names)) {
            PyErr_SetString(PyExc_TypeError, "cue_positions: firsts must map words to tuples");
            goto fail;
        }
        index = PyLong_FromSsize_t(start + k);
        if (index == NULL) {
            goto fail;
        }
        m = PyTuple_GET_SIZE(names);
        for (j = 0; j < m; ++j) {
            PyObject *name = PyTuple_GET_ITEM(names, j);
            PyObject *found = PyDict_GetItemWithError(out, name);  /* borrowed */
            if (found == NULL) {
                if (PyErr_Occurred()) {
                    Py_DECREF(index);
                    goto fail;
                }
                found = PyList_New(0);
                if (found == NULL || PyDict_SetItem(out, name, found) < 0) {
                    Py_XDECREF(found);
                    Py_DECREF(index);
                    goto fail;
                }
                Py_DECREF(found);  /* the dict holds it */
            }
            if (PyList_Append(found, index) < 0) {
                Py_DECREF(index);
                goto fail;
            }
        }
        Py_DECREF(index);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(clause_has_doc,
"clause_has(firsts, bares, start, end, g, name, lo=None, hi=None) -> int or None\n\n"
"marsad.events.events.Clause.has of the clause with these words (``bares``, from word index\n"
"``start`` to ``end``) and cue_positions() ``firsts``: the word index of the leftmost cue of set\n"
"``name`` (``g.cue_index[name]``: first word -> phrases) between word indices lo and hi, or None.");

/* bisect.bisect_left over a list of ints */
static int
first_at_least(PyObject *positions, Py_ssize_t value, Py_ssize_t *out)
{
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(positions);
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_ssize_t k = PyLong_AsSsize_t(PyList_GET_ITEM(positions, mid));
        if (k == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (k < value) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    *out = lo;
    return 0;
}

static PyObject *
clause_has(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *firsts, *bares, *positions, *index = NULL, *lo_obj = Py_None, *hi_obj = Py_None;
    Py_ssize_t start, end, p = 0, count, n_bares;

    if (nargs < 6 || nargs > 8) {
        PyErr_SetString(PyExc_TypeError, "clause_has takes 6 to 8 arguments");
        return NULL;
    }
    firsts = args[0];
    bares = args[1];
    if (!PyDict_Check(firsts) || !PyList_Check(bares)) {
        PyErr_SetString(PyExc_TypeError, "clause_has: firsts must be a dict and bares a list");
        return NULL;
    }
    start = PyLong_AsSsize_t(args[2]);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    end = PyLong_AsSsize_t(args[3]);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (nargs > 6) {
        lo_obj = args[6];
    }
    if (nargs > 7) {
        hi_obj = args[7];
    }
    positions = PyDict_GetItemWithError(firsts, args[5]);  /* borrowed */
    if (positions == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NONE;  /* most tests end here: no word of the sentence starts a phrase of the set */
    }
    if (!PyList_Check(positions)) {
        PyErr_SetString(PyExc_TypeError, "clause_has: positions must be lists");
        return NULL;
    }
    if (hi_obj != Py_None) {
        Py_ssize_t hi = PyLong_AsSsize_t(hi_obj);
        if (hi == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (hi < end) {
            end = hi;
        }
    }
    if (lo_obj != Py_None) {
        Py_ssize_t lo = PyLong_AsSsize_t(lo_obj);
        if (lo == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (lo > start && first_at_least(positions, lo, &p) < 0) {
            return NULL;
        }
    }
    {
        PyObject *cue_index = PyObject_GetAttrString(args[4], "cue_index");
        if (cue_index == NULL) {
            return NULL;
        }
        index = PyObject_GetItem(cue_index, args[5]);
        Py_DECREF(cue_index);
        if (index == NULL) {
            return NULL;
        }
    }
    count = PyList_GET_SIZE(positions);
    n_bares = PyList_GET_SIZE(bares);
    for (; p < count; ++p) {
        PyObject *k_obj = PyList_GET_ITEM(positions, p);
        Py_ssize_t k = PyLong_AsSsize_t(k_obj), at, j, m, n;
        PyObject *phrases;
        if (k == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (k >= end) {
            break;
        }
        at = k - start;
        if (at < 0 || at >= n_bares) {
            PyErr_SetString(PyExc_IndexError, "clause_has: a position outside the clause");
            goto fail;
        }
        phrases = PyObject_GetItem(index, PyList_GET_ITEM(bares, at));
        if (phrases == NULL) {
            goto fail;
        }
        if (!PyTuple_Check(phrases)) {
            Py_DECREF(phrases);
            PyErr_SetString(PyExc_TypeError, "clause_has: phrases must be tuples");
            goto fail;
        }
        m = PyTuple_GET_SIZE(phrases);
        for (j = 0; j < m; ++j) {
            PyObject *phrase = PyTuple_GET_ITEM(phrases, j);
            Py_ssize_t w;
            int same = 1;
            if (!PyTuple_Check(phrase)) {
                Py_DECREF(phrases);
                PyErr_SetString(PyExc_TypeError, "clause_has: a phrase must be a tuple");
                goto fail;
            }
            n = PyTuple_GET_SIZE(phrase);
            if (n != 1) {
                if (k + n > end) {
                    continue;
                }
                for (w = 0; w < n && same; ++w) {  /* tuple(bares[at:at + n]) == phrase */
                    int eq = PyObject_RichCompareBool(PyList_GET_ITEM(bares, at + w), PyTuple_GET_ITEM(phrase, w), Py_EQ);
                    if (eq < 0) {
                        Py_DECREF(phrases);
                        goto fail;
                    }
                    same = eq;
                }
            }
            if (same) {
                Py_DECREF(phrases);
                Py_DECREF(index);
                Py_INCREF(k_obj);
                return k_obj;
            }
        }
        Py_DECREF(phrases);
    }
    Py_DECREF(index);
    Py_RETURN_NONE;
fail:
    Py_DECREF(index);
    return NULL;
}

PyMethodDef marsad_events_methods[] = {
    {"cue_positions", cue_positions, METH_VARARGS, cue_positions_doc},
    {"clause_has", (PyCFunction)(void (*)(void))clause_has, METH_FASTCALL, clause_has_doc},
    {NULL, NULL, 0, NULL},
};
