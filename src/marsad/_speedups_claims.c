/*
 * marsad._speedups, the claims component's loops (events/claims.py holds the Python each function
 * stands for, with the same results).
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

/* bisect.bisect_left(starts, x) over a list of ints (the offsets of a document's words), or -1
 * with an exception set when an item is no int. */
static Py_ssize_t
bisect_offsets(PyObject *starts, Py_ssize_t x)
{
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(starts);

    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_ssize_t value = PyLong_AsSsize_t(PyList_GET_ITEM(starts, mid));

        if (value == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (value < x) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo;
}

/* The int attribute ``name`` of ``obj`` as a C value, or -1 with an exception set. */
static int
offset_attr(PyObject *obj, PyObject *name, Py_ssize_t *out)
{
    PyObject *value = PyObject_GetAttr(obj, name);

    if (value == NULL) {
        return -1;
    }
    *out = PyLong_AsSsize_t(value);
    Py_DECREF(value);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

PyDoc_STRVAR(word_ranges_doc,
"claim_word_ranges(starts, anns, nonempty) -> list\n\n"
"marsad.events.claims._word_ranges: [(bisect_left(starts, x.start), bisect_left(starts, x.end))\n"
"for x in anns] for a list ``starts`` of ints (the words' start offsets, in order) and items with\n"
"int ``start`` and ``end``; with ``nonempty`` true, only the ranges that hold a word (a < b).");

static PyObject *
word_ranges(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    static PyObject *start_name = NULL, *end_name = NULL;
    PyObject *starts, *seq, *out;
    Py_ssize_t i, n;
    int nonempty;

    if (nargs != 3 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "claim_word_ranges(starts: list, anns, nonempty: bool)");
        return NULL;
    }
    if (start_name == NULL) {
        start_name = PyUnicode_InternFromString("start");
        end_name = PyUnicode_InternFromString("end");
        if (start_name == NULL || end_name == NULL) {
            return NULL;
        }
    }
    starts = args[0];
    nonempty = PyObject_IsTrue(args[2]);
    if (nonempty < 0) {
        return NULL;
    }
    seq = PySequence_Fast(args[1], "claim_word_ranges: anns must be a sequence");
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
        PyObject *ann = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t start, end, a, b;
        PyObject *range;

        if (offset_attr(ann, start_name, &start) < 0 || offset_attr(ann, end_name, &end) < 0) {
            goto fail;
        }
        a = bisect_offsets(starts, start);
        if (a < 0) {
            goto fail;
        }
        b = bisect_offsets(starts, end);
        if (b < 0) {
            goto fail;
        }
        if (nonempty && b <= a) {
            continue;
        }
        range = Py_BuildValue("(nn)", a, b);
        if (range == NULL || PyList_Append(out, range) < 0) {
            Py_XDECREF(range);
            goto fail;
        }
        Py_DECREF(range);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(overlapping_doc,
"overlapping(anns, start, end) -> list\n\n"
"marsad.events.claims._overlapping: [x for x in anns if x.start < end and start < x.end],\n"
"in order, for items with int ``start`` and ``end`` (the annotations that share a character with\n"
"the span [start, end)).");

static PyObject *
overlapping(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    static PyObject *start_name = NULL, *end_name = NULL;
    PyObject *seq, *out;
    Py_ssize_t i, n, start, end;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "overlapping(anns, start: int, end: int)");
        return NULL;
    }
    if (start_name == NULL) {
        start_name = PyUnicode_InternFromString("start");
        end_name = PyUnicode_InternFromString("end");
        if (start_name == NULL || end_name == NULL) {
            return NULL;
        }
    }
    start = PyLong_AsSsize_t(args[1]);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    end = PyLong_AsSsize_t(args[2]);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    seq = PySequence_Fast(args[0], "overlapping: anns must be a sequence");
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
        PyObject *ann = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t ann_start, ann_end;

        if (offset_attr(ann, start_name, &ann_start) < 0) {
            goto fail;
        }
        if (ann_start >= end) {
            continue;
        }
        if (offset_attr(ann, end_name, &ann_end) < 0) {
            goto fail;
        }
        if (start < ann_end && PyList_Append(out, ann) < 0) {
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

PyDoc_STRVAR(any_overlap_doc,
"any_overlap(spans, start, end) -> bool\n\n"
"marsad.knowledge.candidates._overlaps: any(s < end and start < e for s, e in spans), for a\n"
"sequence of (int, int) tuples.");

static PyObject *
any_overlap(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *seq;
    Py_ssize_t i, n, start, end;

    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "any_overlap(spans, start: int, end: int)");
        return NULL;
    }
    start = PyLong_AsSsize_t(args[1]);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    end = PyLong_AsSsize_t(args[2]);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    seq = PySequence_Fast(args[0], "any_overlap: spans must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    n = PySequence_Fast_GET_SIZE(seq);
    for (i = 0; i < n; ++i) {
        PyObject *span = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t s, e;

        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_SetString(PyExc_TypeError, "any_overlap: each span must be a (start, end) tuple");
            goto fail;
        }
        s = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
        if (s == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (s >= end) {
            continue;
        }
        e = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
        if (e == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (start < e) {
            Py_DECREF(seq);
            Py_RETURN_TRUE;
        }
    }
    Py_DECREF(seq);
    Py_RETURN_FALSE;
fail:
    Py_DECREF(seq);
    return NULL;
}

PyDoc_STRVAR(cue_starts_doc,
"cue_starts(norms, vocabulary, bitmap, pair_only, pairs) -> (list, list)\n\n"
"marsad.events.claims._cue_starts after its pass: of the indices of the words of the list ``norms``\n"
"that are in the set ``vocabulary`` (with ``bitmap`` as for positions_hashed: bit hash(x) % (8 *\n"
"len(bitmap)) set for each x of it), those of \":\" (the second list) and the others (the first),\n"
"less a word of the set ``pair_only`` not followed by a word that makes a pair of the set ``pairs``.");

static PyObject *
cue_starts(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    static PyObject *colon = NULL;
    PyObject *norms, *vocabulary, *pair_only, *pairs, *starts = NULL, *colons = NULL;
    const unsigned char *bits;
    Py_ssize_t i, nbytes;
    size_t mask;

    if (nargs != 5 || !PyList_Check(args[0]) || !PyAnySet_Check(args[1]) || !PyBytes_Check(args[2])
            || !PyAnySet_Check(args[3]) || !PyAnySet_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "cue_starts(norms: list, vocabulary: set, bitmap: bytes, pair_only: set, pairs: set)");
        return NULL;
    }
    if (colon == NULL && (colon = PyUnicode_InternFromString(":")) == NULL) {
        return NULL;
    }
    norms = args[0];
    vocabulary = args[1];
    pair_only = args[3];
    pairs = args[4];
    nbytes = PyBytes_GET_SIZE(args[2]);
    if (nbytes == 0 || (nbytes & (nbytes - 1)) != 0) {
        PyErr_SetString(PyExc_ValueError, "cue_starts: the bitmap's length must be a power of two");
        return NULL;
    }
    bits = (const unsigned char *)PyBytes_AS_STRING(args[2]);
    mask = (size_t)nbytes * 8 - 1;
    starts = PyList_New(0);
    colons = PyList_New(0);
    if (starts == NULL || colons == NULL) {
        goto fail;
    }
    for (i = 0; i < PyList_GET_SIZE(norms); ++i) {
        PyObject *word = PyList_GET_ITEM(norms, i), *into = NULL, *index;
        Py_hash_t hash = PyObject_Hash(word);
        size_t bit;
        int found;

        if (hash == -1) {
            goto fail;
        }
        bit = (size_t)hash & mask;
        if (!(bits[bit >> 3] & (1u << (bit & 7)))) {
            continue;  /* most words */
        }
        Py_INCREF(word);  /* a set look-up may run Python code (__eq__) */
        found = PySet_Contains(vocabulary, word);
        if (found > 0) {
            found = PyObject_RichCompareBool(word, colon, Py_EQ);
            if (found > 0) {
                into = colons;
            }
            else if (found == 0) {
                into = starts;
                found = PySet_Contains(pair_only, word);
                if (found > 0) {  /* a cue only with its second word after it */
                    found = 0;
                    if (i + 1 < PyList_GET_SIZE(norms)) {
                        PyObject *pair = PyTuple_Pack(2, word, PyList_GET_ITEM(norms, i + 1));
                        found = pair == NULL ? -1 : PySet_Contains(pairs, pair);
                        Py_XDECREF(pair);
                    }
                }
                else if (found == 0) {
                    found = 1;
                }
            }
        }
        Py_DECREF(word);
        if (found < 0) {
            goto fail;
        }
        if (!found) {
            continue;
        }
        index = PyLong_FromSsize_t(i);
        if (index == NULL || PyList_Append(into, index) < 0) {
            Py_XDECREF(index);
            goto fail;
        }
        Py_DECREF(index);
    }
    return Py_BuildValue("(NN)", starts, colons);
fail:
    Py_XDECREF(starts);
    Py_XDECREF(colons);
    return NULL;
}

PyMethodDef marsad_claims_methods[] = {
    {"cue_starts", (PyCFunction)(void (*)(void))cue_starts, METH_FASTCALL, cue_starts_doc},
    {"any_overlap", (PyCFunction)(void (*)(void))any_overlap, METH_FASTCALL, any_overlap_doc},
    {"claim_word_ranges", (PyCFunction)(void (*)(void))word_ranges, METH_FASTCALL, word_ranges_doc},
    {"overlapping", (PyCFunction)(void (*)(void))overlapping, METH_FASTCALL, overlapping_doc},
    {NULL, NULL, 0, NULL},
};
